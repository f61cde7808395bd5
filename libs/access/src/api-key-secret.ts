import { createHash, randomBytes } from 'node:crypto';

/** Every key the service makes starts with this, so leaked keys are easy to scan for. */
export const KEY_PREFIX = 'wsk_';

/** What every key looks like; anything else is refused without a lookup. */
const KEY_SHAPE = /^wsk_[A-Za-z0-9_-]{43}$/;

/** Characters of a key kept to tell keys apart in lists: the prefix and 8 of its 43 random ones. */
const HINT_LENGTH = KEY_PREFIX.length + 8;

/** A new secret: 256 random bits, base64url. Shown once; only its hash is stored. */
export function newSecret(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * What is stored and looked up: SHA-256 of the secret. A key is 256 random bits, so a fast
 * hash is enough (no dictionary to guess from); a slow one would cost every request.
 */
export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The part of a secret that may be shown again: enough to recognise it, too little to use. */
export function secretHint(secret: string): string {
  return secret.slice(0, HINT_LENGTH);
}

/** True when `text` has the shape of a key (the prefix and 43 base64url characters). */
export function isKeyShaped(text: string): boolean {
  return KEY_SHAPE.test(text);
}

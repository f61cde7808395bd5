import { z } from 'zod';
import type { ApiKeyRecord } from './api-key-store';
import { SCOPES } from './scopes';

/**
 * A key as the API and the CLI show it: never its secret, only its first characters (`hint`).
 * The API's ApiKey schema is this one.
 */
export const apiKeyViewSchema = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  hint: z.string().describe('The first characters of the secret, to tell keys apart'),
  scopes: z.array(z.enum(SCOPES)),
  owner: z.strictObject({ ownerType: z.string(), ownerRef: z.string() }).nullable().describe('A key bound to an owner sees only its wallets'),
  rateLimitPerSecond: z.int().min(1).nullable(),
  status: z.enum(['active', 'revoked', 'expired']),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});

export type ApiKeyView = z.output<typeof apiKeyViewSchema>;

export function presentApiKey(key: ApiKeyRecord, now: Date): ApiKeyView {
  const expired = key.expiresAt !== null && key.expiresAt.getTime() <= now.getTime();
  return {
    id: key.id,
    name: key.name,
    hint: key.hint,
    scopes: [...key.scopes],
    owner: key.owner,
    rateLimitPerSecond: key.rateLimitPerSecond,
    status: key.revokedAt !== null ? 'revoked' : expired ? 'expired' : 'active',
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

import { z } from 'zod';

const BASE64URL = /^[A-Za-z0-9_-]{1,512}$/;

/** An opaque cursor: base64url of the JSON keyset of the last item served. */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The `cursor` query parameter: decoded and checked against the keyset this query hands
 * out. Anything else (tampered, truncated, from another route) is a 400.
 */
export function cursorSchema<Key extends z.ZodType>(key: Key) {
  return z
    .string()
    .describe('Opaque: the nextCursor of the previous page')
    .transform((text, context): z.output<Key> => {
      const parsed = key.safeParse(decodeJson(text));
      if (parsed.success) return parsed.data;
      context.addIssue({ code: 'custom', message: 'is not a cursor this query returned' });
      return z.NEVER;
    });
}

function decodeJson(text: string): unknown {
  if (!BASE64URL.test(text)) return undefined;
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

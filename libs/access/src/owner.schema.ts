import { z } from 'zod';

/** NUL and unpaired UTF-16 surrogates cannot be stored in PostgreSQL text or jsonb. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);

export const storableString = () => z.string().refine(isStorableText, 'must not contain NUL characters or unpaired surrogates');

export const textSchema = (max: number) => storableString().min(1).max(max);

export const slugSchema = z.string().regex(/^[a-z0-9_-]{1,64}$/, 'must match [a-z0-9_-]{1,64}');

/** An owner of wallets, as wallets and owner-scoped keys name it. */
export const ownerSchema = z.strictObject({
  ownerType: slugSchema,
  ownerRef: textSchema(255),
});

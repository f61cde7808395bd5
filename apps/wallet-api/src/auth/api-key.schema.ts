import { SCOPES } from '@wallet/access';
import { z } from 'zod';
import { apiSchemas, idOut, pageSchema, timestampOut } from '../http/api-schemas';

/** A key as the API shows it: never its secret, only its first characters (`hint`). */
export const apiKeySchema = z
  .strictObject({
    id: idOut,
    name: z.string(),
    hint: z.string().describe('The first characters of the secret, to tell keys apart'),
    scopes: z.array(z.enum(SCOPES)),
    owner: z.strictObject({ ownerType: z.string(), ownerRef: z.string() }).nullable().describe('A key bound to an owner sees only its wallets'),
    rateLimitPerSecond: z.int().min(1).nullable(),
    status: z.enum(['active', 'revoked', 'expired']),
    createdAt: timestampOut,
    expiresAt: timestampOut.nullable(),
    revokedAt: timestampOut.nullable(),
  })
  .register(apiSchemas, { id: 'ApiKey' });

export const newApiKeyAnswerSchema = z
  .strictObject({ key: apiKeySchema, secret: z.string().regex(/^wsk_/).describe('The key itself (wsk_...): shown in this answer only') })
  .register(apiSchemas, { id: 'NewApiKey' });

export const apiKeyPageSchema = pageSchema(apiKeySchema, 'ApiKeyPage');

export type ApiKeyAnswer = z.infer<typeof apiKeySchema>;
export type NewApiKeyAnswer = z.infer<typeof newApiKeyAnswerSchema>;
export type ApiKeyPage = z.infer<typeof apiKeyPageSchema>;

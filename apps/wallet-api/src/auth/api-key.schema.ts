import { apiKeyViewSchema } from '@wallet/access';
import { z } from 'zod';
import { apiSchemas, pageSchema } from '../http/api-schemas';

/** A key as the API shows it: never its secret, only its first characters (`hint`). */
export const apiKeySchema = apiKeyViewSchema.register(apiSchemas, { id: 'ApiKey' });

export const newApiKeyAnswerSchema = z
  .strictObject({ key: apiKeySchema, secret: z.string().regex(/^wsk_/).describe('The key itself (wsk_...): shown in this answer only') })
  .register(apiSchemas, { id: 'NewApiKey' });

export const apiKeyPageSchema = pageSchema(apiKeySchema, 'ApiKeyPage');

export type ApiKeyAnswer = z.infer<typeof apiKeySchema>;
export type NewApiKeyAnswer = z.infer<typeof newApiKeyAnswerSchema>;
export type ApiKeyPage = z.infer<typeof apiKeyPageSchema>;

export { SCOPES, type Scope, allows, isScope } from './scopes';
export { KEY_PREFIX, isKeyShaped, newSecret, secretHash, secretHint } from './api-key-secret';
export type { Caller, OwnerRef } from './caller';
export { newApiKeySchema, type NewApiKey } from './new-api-key.schema';
export { isStorableText, ownerSchema, slugSchema, storableString, textSchema } from './owner.schema';
export {
  type ApiKeyRecord,
  type ListApiKeysOptions,
  callerOf,
  isUsable,
  createApiKey,
  createFirstAdminKey,
  findApiKey,
  hasActiveAdminKey,
  listApiKeys,
  revokeApiKey,
  seedAdminKey,
} from './api-key-store';
export { type ApiKeyView, apiKeyViewSchema, presentApiKey } from './api-key.presenter';
export { accessMigrations } from './migrations';

import type { Migration } from '@wallet/postgres';
import * as apiKeys from './0008-api-keys.migration';
import * as webhooksScope from './0015-webhooks-scope.migration';

/**
 * The schema `access`: API keys and their scopes. The number is a place in the service's one recorded order;
 * add new ones with the next free number, and never edit an applied one.
 */
export const accessMigrations: readonly Migration[] = [
  { name: '0008-api-keys', up: apiKeys.up },
  { name: '0015-webhooks-scope', up: webhooksScope.up },
];

import { accessMigrations } from '@wallet/access';
import { eventStoreMigrations } from '@wallet/event-store';
import { type Migration, migrationSequence } from '@wallet/postgres';
import { readModelMigrations } from '@wallet/read-model';
import { webhookMigrations } from '@wallet/webhooks';

/**
 * Every owner's migrations in the service's one recorded order (0001, 0002, ...), as every
 * database has applied them: the previous release kept them in a single list under these same
 * names, so a database it migrated has nothing to re-run. Checked when this module loads: a
 * number taken twice or missing stops the process before it touches a database.
 */
export const allMigrations: readonly Migration[] = migrationSequence(eventStoreMigrations, accessMigrations, readModelMigrations, webhookMigrations);

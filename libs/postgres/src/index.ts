export { createPool, type PoolOptions } from './pg-pool';
export { PG_POOL } from './postgres.tokens';
export { EmbeddedPostgresInUseError, startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './embedded-postgres';
export { type EmbeddedOwner, OWNER_FILE } from './embedded-owner';
export { PostgresUserAccessError } from './postgres-user-access';
export { type Migration, mergeMigrations, migrationSequence } from './migration';
export { migrate } from './migration-runner';
export { type DatabaseFailure, databaseFailure, isPassingDatabaseFailure } from './database-failure';
export { inTransaction, inTransactionOn } from './pg-transaction';

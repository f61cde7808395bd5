export { createPool, type PoolOptions } from './database/pg-pool';
export { migrate } from './database/migrate';
export { startEmbeddedPostgres, type EmbeddedPostgres, type EmbeddedPostgresOptions } from './database/embedded-postgres';

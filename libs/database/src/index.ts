export { allMigrations } from './all-migrations';
export { prepareDatabase, type PreparedDatabase } from './prepare-database';
export { DatabaseModule } from './database.module';

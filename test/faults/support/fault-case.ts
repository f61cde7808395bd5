import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import type { ServiceProcess } from './service-process';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A database of the case's own, and the API process the case starts (and restarts) on it. */
export interface OwnDatabaseAndApi {
  readonly database: TestDatabase;
  api: ServiceProcess | undefined;
}

/**
 * Registers the file's set-up and clean-up: a fresh database before its cases, and after them
 * the API process killed (whichever the case left running) and the database dropped.
 */
export function ownDatabaseAndApi(): OwnDatabaseAndApi {
  const own = { api: undefined } as { database: TestDatabase; api: ServiceProcess | undefined };
  beforeAll(async () => {
    own.database = await createTestDatabase();
  });
  afterAll(async () => {
    await own.api?.crash();
    await own.database?.drop();
  });
  return own;
}

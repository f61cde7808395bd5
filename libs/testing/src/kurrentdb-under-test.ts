import { startKurrentDbDouble } from './kurrentdb';

export interface KurrentDbUnderTest {
  readonly connectionString: string;
  /** Whether this is a real server (KURRENTDB_URL) rather than the in-process double. */
  readonly real: boolean;
  stop(): Promise<void>;
}

/**
 * The KurrentDB the specs run against: the server KURRENTDB_URL names (`npm run
 * test:kurrentdb`), else a fresh in-process protocol double.
 */
export async function kurrentDbUnderTest(): Promise<KurrentDbUnderTest> {
  const url = process.env.KURRENTDB_URL;
  if (url) return { connectionString: url, real: true, stop: async () => undefined };
  const double = await startKurrentDbDouble();
  return { connectionString: double.connectionString, real: false, stop: () => double.stop() };
}

/** Stops the suite's embedded PostgreSQL, if global setup started one. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__walletTestPostgres?.stop();
}

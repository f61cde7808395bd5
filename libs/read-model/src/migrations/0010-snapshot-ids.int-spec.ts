import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import { listSnapshots } from '../queries/snapshots.queries';
import { readModelMigrations } from './index';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Snapshot rows as the read model held them before 0010: serial ids. */
async function insertOldSnapshots(database: TestDatabase, walletId: string, positions: number[]): Promise<void> {
  for (const [revision, position] of positions.entries()) {
    await database.pool.query(
      `insert into read_model.transaction_snapshots (wallet_id, position, revision, snapshot_date, ledger, pending_debits, pending_credits, transaction_count)
       values ($1, $2, $3, now(), $4, 0, 0, $3)`,
      [walletId, position, revision, position * 10],
    );
  }
}

describe('migration 0010: snapshot ids as UUIDs', () => {
  let database: TestDatabase;
  const walletId = randomUUID();
  const other = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase(4, 'empty');
    // The read model's schema as it stood before 0010: no other owner's migration touches it.
    const at = readModelMigrations.findIndex((migration) => migration.name === '0010-snapshot-ids');
    for (const migration of readModelMigrations.slice(0, at)) await database.pool.query(migration.up);
    await insertOldSnapshots(database, walletId, [1, 5, 9]);
    await insertOldSnapshots(database, other, [2]);
    expect((await database.pool.query('select id from read_model.transaction_snapshots order by id')).rows.map((row) => row.id)).toEqual(['1', '2', '3', '4']);
    await database.pool.query(readModelMigrations[at]!.up);
  });
  afterAll(() => database.drop());

  it('gives the old rows UUIDs derived from wallet and position, and they stay readable', async () => {
    const page = await listSnapshots(database.pool, walletId, undefined, 10);
    expect(page.map((snapshot) => [snapshot.position, snapshot.ledgerMinor])).toEqual([[1n, 10n], [5n, 50n], [9n, 90n]]);
    expect(page.every((snapshot) => UUID.test(snapshot.id))).toBe(true);
    expect(new Set([...page.map((snapshot) => snapshot.id), ...(await listSnapshots(database.pool, other, undefined, 10)).map((s) => s.id)]).size).toBe(4);
    const { rows } = await database.pool.query('select read_model.snapshot_id($1, 5) as id', [walletId]);
    expect(page[1]!.id).toBe(rows[0].id);
  });

  it('pages by position and derives the same id for a row written again (as a rebuild does)', async () => {
    const after = await listSnapshots(database.pool, walletId, { position: 1n }, 10);
    expect(after.map((snapshot) => snapshot.position)).toEqual([5n, 9n]);
    const before = (await listSnapshots(database.pool, walletId, undefined, 10)).map((snapshot) => snapshot.id);
    await database.pool.query('delete from read_model.transaction_snapshots where wallet_id = $1', [walletId]);
    await insertOldSnapshots(database, walletId, [1, 5, 9]);
    expect((await listSnapshots(database.pool, walletId, undefined, 10)).map((snapshot) => snapshot.id)).toEqual(before);
  });

  it('refuses a second snapshot of one wallet at one position', async () => {
    await expect(insertOldSnapshots(database, other, [2])).rejects.toThrow(/duplicate key/);
  });
});

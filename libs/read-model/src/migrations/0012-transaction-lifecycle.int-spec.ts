import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import { findGroup } from '../queries/groups.queries';
import { findTransaction } from '../queries/transactions.queries';
import { readModelMigrations } from './index';

/** A transaction row as the read model wrote it before 0012: an amount and a status. */
async function insertOldTransaction(database: TestDatabase, table: string, walletId: string, status: string, amount: number): Promise<string> {
  const id = randomUUID();
  await database.pool.query(
    `insert into read_model.${table} (id, wallet_id, type, amount, status, metadata, position, created_position, created_at, updated_at)
     values ($1, $2, 'debit', $3, $4, '{}', 1, 1, now(), now())`,
    [id, walletId, amount, status],
  );
  return id;
}

describe('migration 0012: the transactions’ lifecycle amounts', () => {
  let database: TestDatabase;
  const walletId = randomUUID();
  const groupId = randomUUID();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase(4, 'empty');
    // The read model's schema as it stood before 0012: no other owner's migration touches it.
    const at = readModelMigrations.findIndex((migration) => migration.name === '0012-transaction-lifecycle');
    for (const migration of readModelMigrations.slice(0, at)) await database.pool.query(migration.up);
    for (const [status, amount] of [['pending', 10], ['confirmed', 20], ['rejected', 30]] as const) {
      ids[status] = await insertOldTransaction(database, 'transactions', walletId, status, amount);
      ids[`archived ${status}`] = await insertOldTransaction(database, 'transactions_archive', walletId, status, amount + 1);
    }
    await database.pool.query(`insert into read_model.transaction_groups (id, status, metadata, created_at, updated_at, position) values ($1, 'completed', '{}', now(), now(), 1)`, [groupId]);
    // 0012, then the read model's later migrations, whose columns the queries read.
    for (const migration of readModelMigrations.slice(at)) await database.pool.query(migration.up);
  });
  afterAll(() => database.drop());

  const amountsOf = async (id: string): Promise<bigint[]> => {
    const record = (await findTransaction(database.pool, walletId, id))!;
    return [record.amountMinor, record.heldMinor, record.capturedMinor, record.releasedMinor, record.reversedMinor];
  };

  it.each([
    ['pending', 'holds all of it', [10n, 10n, 0n, 0n, 0n]],
    ['confirmed', 'captured all of it', [20n, 0n, 20n, 0n, 0n]],
    ['rejected', 'released all of it', [30n, 0n, 0n, 30n, 0n]],
    ['archived pending', 'holds all of it', [11n, 11n, 0n, 0n, 0n]],
    ['archived confirmed', 'captured all of it', [21n, 0n, 21n, 0n, 0n]],
    ['archived rejected', 'released all of it', [31n, 0n, 0n, 31n, 0n]],
  ])('backfills an old %s row: it %s, nothing reversed', async (status, _what, amounts) => {
    expect(await amountsOf(ids[status]!)).toEqual(amounts);
    expect((await findTransaction(database.pool, walletId, ids[status]!))!.reversalOf).toBeNull();
  });

  it('gives old groups no reversal on either side', async () => {
    expect(await findGroup(database.pool, groupId)).toMatchObject({ reversalOf: null, reversedBy: null });
  });

  it.each(['transactions', 'transactions_archive'])('refuses in %s a row whose amounts do not add up, or that reverses more than it captured', async (table) => {
    const insert = (held: number, captured: number, released: number, reversed: number) =>
      database.pool.query(
        `insert into read_model.${table} (id, wallet_id, type, amount, held_amount, captured_amount, released_amount, reversed_amount, status, metadata, position,
           created_position, created_at, updated_at)
         values ($1, $2, 'debit', 100, $3, $4, $5, $6, 'confirmed', '{}', 1, 1, now(), now())`,
        [randomUUID(), walletId, held, captured, released, reversed],
      );
    await expect(insert(0, 90, 0, 0)).rejects.toThrow(new RegExp(`${table}_amounts_check`));
    await expect(insert(0, 100, 0, 101)).rejects.toThrow(new RegExp(`${table}_reversed_check`));
    await expect(insert(-10, 110, 0, 0)).rejects.toThrow(new RegExp(`${table}_amounts_check`));
    await expect(insert(0, 60, 40, 60)).resolves.toMatchObject({ rowCount: 1 });
  });
});

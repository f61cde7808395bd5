import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import { readModelMigrations } from './index';

const CHECKPOINT = 42n;

/** A wallet and its balance as the read model wrote them before 0013. */
async function insertOldWallet(database: TestDatabase, currency: string, ledger: bigint, pendingDebits: bigint, pendingCredits: bigint): Promise<string> {
  const id = randomUUID();
  await database.pool.query(
    `insert into read_model.wallets (id, type, currency, metadata, created_at, updated_at, version, position) values ($1, 'user', $2, '{}', now(), now(), 1, 1)`,
    [id, currency],
  );
  await database.pool.query(
    `insert into read_model.balances (wallet_id, ledger, pending_debits, pending_credits, transaction_count, revision, position, events_since_snapshot, last_snapshot_at)
     values ($1, $2, $3, $4, 0, 1, 1, 0, now())`,
    [id, ledger.toString(), pendingDebits.toString(), pendingCredits.toString()],
  );
  return id;
}

describe('migration 0013: overdraft limits, references and totals per currency', () => {
  let database: TestDatabase;
  let walletId: string;
  const transactionId = randomUUID();
  const archivedId = randomUUID();
  const groupId = randomUUID();

  beforeAll(async () => {
    database = await createTestDatabase(4, 'empty');
    // The read model's schema as it stood before 0013: no other owner's migration touches it.
    const at = readModelMigrations.findIndex((migration) => migration.name === '0013-limits-references-totals');
    for (const migration of readModelMigrations.slice(0, at)) await database.pool.query(migration.up);
    await database.pool.query(`insert into read_model.projection_checkpoints (name, position) values ('read_model', $1)`, [CHECKPOINT.toString()]);
    walletId = await insertOldWallet(database, 'EUR', 1_000n, 100n, 50n);
    await insertOldWallet(database, 'EUR', -300n, 0n, 7n);
    await insertOldWallet(database, 'EUR', 9_000_000_000_000_000_000n, 0n, 0n);
    await insertOldWallet(database, 'USD', 5n, 1n, 2n);
    for (const [table, id] of [['transactions', transactionId], ['transactions_archive', archivedId]] as const) {
      await database.pool.query(
        `insert into read_model.${table} (id, wallet_id, type, amount, held_amount, captured_amount, released_amount, reversed_amount, status, metadata, position,
           created_position, created_at, updated_at)
         values ($1, $2, 'debit', 10, 0, 10, 0, 0, 'confirmed', '{}', 1, 1, now(), now())`,
        [id, walletId],
      );
    }
    await database.pool.query(`insert into read_model.transaction_groups (id, status, metadata, created_at, updated_at, position) values ($1, 'completed', '{}', now(), now(), 1)`, [groupId]);
    await database.pool.query(readModelMigrations[at]!.up);
  });
  afterAll(() => database.drop());

  it('gives every existing wallet an overdraft limit of 0, and refuses a negative one', async () => {
    const { rows } = await database.pool.query<{ overdraft_limit: string | null }>('select overdraft_limit from read_model.wallets');
    expect(rows.map((row) => row.overdraft_limit)).toEqual(['0', '0', '0', '0']);
    await expect(database.pool.query('update read_model.wallets set overdraft_limit = -1')).rejects.toThrow(/wallets_overdraft_limit_check/);
    await expect(database.pool.query('update read_model.wallets set overdraft_limit = null where id = $1', [walletId])).resolves.toMatchObject({ rowCount: 1 });
  });

  it('gives existing transactions, archived ones and groups no reference', async () => {
    const { rows } = await database.pool.query<{ reference: string | null }>(
      `select reference from read_model.transactions where id = $1
       union all select reference from read_model.transactions_archive where id = $2
       union all select reference from read_model.transaction_groups where id = $3`,
      [transactionId, archivedId, groupId],
    );
    expect(rows).toEqual([{ reference: null }, { reference: null }, { reference: null }]);
  });

  it('keeps the archive’s columns in the order of the transactions’, so a move stays insert ... select *', async () => {
    const columnsOf = async (table: string) =>
      (
        await database.pool.query<{ column_name: string; data_type: string }>(
          `select column_name, data_type from information_schema.columns where table_schema = 'read_model' and table_name = $1 order by ordinal_position`,
          [table],
        )
      ).rows;
    const columns = await columnsOf('transactions');
    expect(columns.map((column) => column.column_name)).toContain('reference');
    expect(await columnsOf('transactions_archive')).toEqual(columns);
  });

  it('starts the totals of each currency from its balances, at the checkpoint, in the present and in the history', async () => {
    const expected = [
      { currency: 'EUR', wallets: '3', ledger: '9000000000000000700', pending_debits: '100', pending_credits: '57', position: CHECKPOINT.toString() },
      { currency: 'USD', wallets: '1', ledger: '5', pending_debits: '1', pending_credits: '2', position: CHECKPOINT.toString() },
    ];
    const present = await database.pool.query('select currency, wallets, ledger, pending_debits, pending_credits, position from read_model.currency_totals order by currency');
    const history = await database.pool.query(
      'select currency, wallets, ledger, pending_debits, pending_credits, position from read_model.currency_totals_history order by currency, position',
    );
    expect(present.rows).toEqual(expected);
    expect(history.rows).toEqual(expected);
    // Where the events before the checkpoint lie is unknown: a replay before it starts from the beginning.
    const { rows } = await database.pool.query('select distinct from_position from read_model.currency_totals_history');
    expect(rows).toEqual([{ from_position: '0' }]);
  });
});

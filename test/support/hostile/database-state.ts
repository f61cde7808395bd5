import { READ_MODEL_PROJECTION } from '@wallet/read-model';
import { getAfter } from '../read-model';
import type { TestApp } from '../test-app';

/** Everything a write could touch, as row counts and digests. */
export type DatabaseState = Record<string, string>;

export interface Balance {
  readonly ledger: string;
  readonly available: string;
  readonly pendingDebits: string;
  readonly pendingCredits: string;
}

/** Tables whose every row is compared (the projector's checkpoint separately: it records a time). */
const COMPARED_TABLES = [
  'event_store.events',
  'event_store.streams',
  'event_store.idempotency_keys',
  'access.api_keys',
  'read_model.wallets',
  'read_model.wallet_owners',
  'read_model.balances',
  'read_model.transactions',
  'read_model.transactions_archive',
  'read_model.transaction_groups',
  'read_model.transaction_snapshots',
  'read_model.currency_totals',
  'read_model.currency_totals_history',
] as const;

/**
 * Webhook tables, each row as JSON less the columns that delivery moves by itself (its lease,
 * its schedule). The fixture's endpoints start past the head, so nothing is ever due to them:
 * their cursors, counts and the delivery log stay as they are unless a request changes them.
 */
const COMPARED_WEBHOOK_TABLES = {
  'webhooks.endpoints': ['lease_holder', 'lease_until', 'next_attempt_at'],
  'webhooks.deliveries': [],
} as const satisfies Record<string, readonly string[]>;

export async function recordState(app: TestApp): Promise<DatabaseState> {
  await projectorCaughtUp(app);
  const state: DatabaseState = {};
  const digested = async (name: string, rowsAsText: string) => {
    const { rows } = await app.database.pool.query<{ rows: string; digest: string }>(
      `select count(*)::text as rows, md5(coalesce(string_agg(r, E'\\n' order by r), '')) as digest from (${rowsAsText}) as compared(r)`,
    );
    state[`${name} rows`] = rows[0]!.rows;
    state[`${name} digest`] = rows[0]!.digest;
  };
  for (const table of COMPARED_TABLES) await digested(table, `select t::text from ${table} t`);
  for (const [table, volatile] of Object.entries(COMPARED_WEBHOOK_TABLES)) {
    await digested(table, `select (to_jsonb(t)${volatile.map((column) => ` - '${column}'`).join('')})::text from ${table} t`);
  }
  const { rows } = await app.database.pool.query<{ max_position: string; ledger_sum: string; checkpoint: string }>(
    `select (select coalesce(max(position), 0)::text from event_store.events) as max_position,
            (select coalesce(sum(ledger), 0)::text from read_model.balances) as ledger_sum,
            (select position::text from read_model.projection_checkpoints where name = $1) as checkpoint`,
    [READ_MODEL_PROJECTION],
  );
  return { ...state, maxPosition: rows[0]!.max_position, ledgerSum: rows[0]!.ledger_sum, checkpoint: rows[0]!.checkpoint };
}

/** Waits until the read model has every event of the log, so that it can be compared. */
async function projectorCaughtUp(app: TestApp): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { rows } = await app.database.pool.query<{ behind: boolean }>(
      `select coalesce((select position from read_model.projection_checkpoints where name = $1), 0)
              < coalesce((select max(position) from event_store.events), 0) as behind`,
      [READ_MODEL_PROJECTION],
    );
    if (!rows[0]!.behind) return;
    if (Date.now() > deadline) throw new Error('the projector did not catch up with the event log within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The wallet's balance once the read model has reached the end of the log. */
export async function balanceOf(app: TestApp, walletId: string): Promise<Balance> {
  const { rows } = await app.database.pool.query<{ position: string }>('select coalesce(max(position), 0)::text as position from event_store.events');
  const wallet = await getAfter(app, `/v1/wallets/${walletId}`, rows[0]!.position);
  if (wallet.status !== 200) throw new Error(`GET wallet ${walletId}: ${wallet.status} ${JSON.stringify(wallet.body)}`);
  return wallet.body.balance;
}

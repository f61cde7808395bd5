import { decodeWalletEvent } from '@wallet/domain';
import type { EventStore, RecordedEvent } from '@wallet/event-store';
import type { Pool } from 'pg';
import { isWalletEvent } from '../projector/batch-events';
import { READ_MODEL_PROJECTION } from '../projector/checkpoints';
import { type CurrencyTotals, foldCurrencyTotals, zeroCurrencyTotals } from '../replay/currency-totals-fold';
import { logPages } from '../replay/log-pages';

/** Events read per page when totals are replayed from the log. */
const REPLAY_PAGE_SIZE = 1_000;

/** The sums over every wallet of a currency, exact at `position`. */
export interface TotalsRecord extends CurrencyTotals {
  readonly currency: string;
  readonly position: bigint;
}

interface TotalsDbRow {
  checkpoint: string | null;
  next_from: string | null;
  position: string | null;
  wallets: string | null;
  ledger: string | null;
  pending_debits: string | null;
  pending_credits: string | null;
}

/** $1 the currency, $2 the checkpoint's name, $3 the position (null: the current totals). One statement, one snapshot. */
const TOTALS_SQL = `
  select (select position from read_model.projection_checkpoints where name = $2) as checkpoint,
         (select from_position from read_model.currency_totals_history where currency = $1 and position > $3::bigint order by position limit 1) as next_from,
         t.position, t.wallets, t.ledger, t.pending_debits, t.pending_credits
    from (select 1) one
    left join lateral (
      select position, wallets, ledger, pending_debits, pending_credits from read_model.currency_totals where currency = $1 and $3::bigint is null
      union all
      (select position, wallets, ledger, pending_debits, pending_credits from read_model.currency_totals_history
        where currency = $1 and position <= $3::bigint order by position desc limit 1)
    ) t on true`;

/**
 * A currency's totals at `position`: the latest history row at or before it, plus the events
 * of the currency's wallets after that row up to the position, read from the log and folded
 * as the projector folds them (the nearest snapshot and the events after it, as for a
 * wallet's balance at a position). The currency has no event between a row and the next
 * row's `from_position`, nor after its last row up to the checkpoint, so the replay reads at
 * most one projector batch, or the events past the checkpoint. Without a position: the
 * current totals, as of the read model's checkpoint. A currency without wallets has zero totals.
 */
export async function totalsAt(db: Pool, store: EventStore, currency: string, position: bigint | undefined): Promise<TotalsRecord> {
  const { rows } = await db.query<TotalsDbRow>(TOTALS_SQL, [currency, READ_MODEL_PROJECTION, position?.toString() ?? null]);
  const row = rows[0]!;
  const checkpoint = BigInt(row.checkpoint ?? 0);
  const start = toTotals(row);
  if (position === undefined) return { currency, position: checkpoint, ...start };
  const from = row.position === null ? 0n : BigInt(row.position);
  const quietUntil = row.next_from === null ? checkpoint : BigInt(row.next_from) - 1n;
  const after = quietUntil > from ? quietUntil : from;
  if (after >= position) return { currency, position, ...start };
  return { currency, position, ...(await replayTotals(db, store, currency, start, after, position)) };
}

/** Folds the events of the currency's wallets after `after` up to `until` into `start`. */
async function replayTotals(db: Pool, store: EventStore, currency: string, start: CurrencyTotals, after: bigint, until: bigint): Promise<CurrencyTotals> {
  const currencies = new Map<string, string>();
  let totals = start;
  for await (const page of logPages(store, after, until, REPLAY_PAGE_SIZE)) {
    const events = page.filter(isWalletEvent).map((recorded: RecordedEvent) => decodeWalletEvent(recorded));
    // A wallet's opening comes before its other events: the page's openings name their currencies first.
    for (const event of events) if (event.type === 'WalletOpened') currencies.set(event.data.walletId.toLowerCase(), event.data.currency);
    await learnCurrencies(db, currencies, events.map((event) => event.data.walletId.toLowerCase()));
    for (const event of events) if (currencies.get(event.data.walletId.toLowerCase()) === currency) totals = foldCurrencyTotals(totals, event);
  }
  return totals;
}

/** Adds the currencies of the wallets not known yet, from the read model (wallets opened before the replay began). */
async function learnCurrencies(db: Pool, currencies: Map<string, string>, walletIds: readonly string[]): Promise<void> {
  const unknown = [...new Set(walletIds.filter((walletId) => !currencies.has(walletId)))];
  if (unknown.length === 0) return;
  const { rows } = await db.query<{ id: string; currency: string }>('select id, currency from read_model.wallets where id = any($1::uuid[])', [unknown]);
  for (const row of rows) currencies.set(row.id, row.currency);
  const missing = unknown.find((walletId) => !currencies.has(walletId));
  if (missing !== undefined) throw new Error(`Wallet ${missing} has events in the log but no row in the read model: cannot tell its currency.`);
}

function toTotals(row: TotalsDbRow): CurrencyTotals {
  if (row.wallets === null) return zeroCurrencyTotals;
  return { wallets: BigInt(row.wallets), ledgerMinor: BigInt(row.ledger!), pendingDebitsMinor: BigInt(row.pending_debits!), pendingCreditsMinor: BigInt(row.pending_credits!) };
}

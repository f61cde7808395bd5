import {
  type BalanceTotals,
  type TransactionSnapshot,
  type WalletEvent,
  applyToBalance,
  changedTransaction,
  decodeWalletEvent,
  recordedTransaction,
  transactionChangeOf,
  walletStream,
  zeroBalance,
} from '@wallet/domain';
import type { Pool } from 'pg';

/**
 * A wallet's events as PostgreSQL holds them, folded with the domain's own rules: the truth
 * the lifecycle specs hold every answer to, whatever the read model shows.
 */
export interface WalletLog {
  readonly events: readonly WalletEvent[];
  /** The totals after the last event. */
  readonly balance: BalanceTotals;
  /** The lowest `available` (ledger - pendingDebits) at any position of the log. */
  readonly lowestAvailable: bigint;
  /** Every transaction as the log leaves it, by id. */
  readonly transactions: ReadonlyMap<string, TransactionSnapshot>;
  /** Events that changed a hold after it had ended: each one spent or released money twice. */
  readonly changesAfterEnd: readonly WalletEvent[];
}

export async function readWalletLog(pool: Pool, walletId: string): Promise<WalletLog> {
  const { rows } = await pool.query<{ type: string; schema_version: number; data: unknown }>(
    'select type, schema_version, data from event_store.events where stream = $1 order by revision',
    [walletStream(walletId)],
  );
  return foldWalletLog(rows.map((row) => decodeWalletEvent({ type: row.type, schemaVersion: row.schema_version, data: row.data })));
}

/** Folds events in log order into balances and transactions with the domain's helpers. */
export function foldWalletLog(events: readonly WalletEvent[]): WalletLog {
  let balance = zeroBalance;
  let lowestAvailable: bigint | undefined;
  const transactions = new Map<string, TransactionSnapshot>();
  const changesAfterEnd: WalletEvent[] = [];
  for (const event of events) {
    balance = applyToBalance(balance, event);
    const available = balance.ledgerMinor - balance.pendingDebitsMinor;
    if (lowestAvailable === undefined || available < lowestAvailable) lowestAvailable = available;
    if (event.type === 'FundsCredited' || event.type === 'FundsDebited' || event.type === 'HoldPlaced' || event.type === 'TransactionReversed') {
      transactions.set(event.data.transactionId, recordedTransaction(event));
    }
    const change = transactionChangeOf(event);
    if (!change) continue;
    const before = transactions.get(change.transactionId);
    if (!before) throw new Error(`${event.type} changes ${change.transactionId}, which the log never recorded.`);
    // A reversal changes a confirmed transaction; any other change is to a hold still pending.
    if (event.type !== 'TransactionReversed' && before.status !== 'pending') changesAfterEnd.push(event);
    transactions.set(change.transactionId, changedTransaction(before, change));
  }
  return { events, balance, lowestAvailable: lowestAvailable ?? 0n, transactions, changesAfterEnd };
}

/** How many events of the log end a hold: a confirm, a reject or a final capture. */
export function holdEndings(log: WalletLog, transactionId: string): number {
  return log.events.filter((event) => {
    const change = transactionChangeOf(event);
    return change?.transactionId === transactionId && change.ended !== null;
  }).length;
}

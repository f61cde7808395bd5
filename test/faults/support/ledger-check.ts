import { Client } from 'pg';
import type { Outcome } from './retrying-writers';

export interface LedgerCheck {
  /** Acknowledged (201) transactions that the log does not hold. */
  readonly lost: readonly string[];
  /** Transactions the log holds more than once, or under one Idempotency-Key twice. */
  readonly appliedTwice: readonly string[];
  /** Transactions in the log that no write was acknowledged for (after every retry). */
  readonly unacknowledged: readonly string[];
  /** Wallets whose balance folded from the log went below zero at some position. */
  readonly negative: readonly string[];
  readonly acknowledged: number;
}

interface LoggedTransaction {
  readonly walletId: string;
  readonly transactionId: string;
  readonly type: 'FundsCredited' | 'FundsDebited';
  readonly amount: bigint;
  readonly idempotencyKey: string | null;
}

/**
 * Compares what the writers were told with what the event log holds, straight from the
 * database (not through the service that was just being hurt).
 */
export async function checkLedger(databaseUrl: string, outcomes: readonly Outcome[], walletIds: readonly string[]): Promise<LedgerCheck> {
  const logged = await loggedTransactions(databaseUrl, walletIds);
  const acknowledged = outcomes.filter((outcome) => outcome.status === 201).map((outcome) => outcome.transactionId!);
  const inLog = new Map<string, number>();
  const byKey = new Map<string, number>();
  for (const entry of logged) {
    inLog.set(entry.transactionId, (inLog.get(entry.transactionId) ?? 0) + 1);
    if (entry.idempotencyKey) byKey.set(entry.idempotencyKey, (byKey.get(entry.idempotencyKey) ?? 0) + 1);
  }
  const acknowledgedSet = new Set(acknowledged);
  return {
    lost: acknowledged.filter((id) => !inLog.has(id)),
    appliedTwice: [...[...inLog].filter(([, count]) => count > 1).map(([id]) => id), ...[...byKey].filter(([, count]) => count > 1).map(([key]) => `key ${key}`)],
    unacknowledged: logged.filter((entry) => entry.idempotencyKey !== null && !acknowledgedSet.has(entry.transactionId)).map((entry) => entry.transactionId),
    negative: negativeWallets(logged),
    acknowledged: acknowledged.length,
  };
}

function negativeWallets(logged: readonly LoggedTransaction[]): string[] {
  const balances = new Map<string, bigint>();
  const negative = new Set<string>();
  for (const entry of logged) {
    const balance = (balances.get(entry.walletId) ?? 0n) + (entry.type === 'FundsCredited' ? entry.amount : -entry.amount);
    balances.set(entry.walletId, balance);
    if (balance < 0n) negative.add(entry.walletId);
  }
  return [...negative];
}

async function loggedTransactions(databaseUrl: string, walletIds: readonly string[]): Promise<LoggedTransaction[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ type: LoggedTransaction['type']; data: Record<string, string>; metadata: Record<string, unknown> }>(
      `select type, data, metadata from event_store.events
        where type in ('FundsCredited', 'FundsDebited') and data->>'walletId' = any($1::text[])
        order by position`,
      [walletIds],
    );
    return rows.map(({ type, data, metadata }) => ({
      walletId: data['walletId']!,
      transactionId: data['transactionId']!,
      type,
      amount: BigInt(data['amountMinor']!),
      idempotencyKey: typeof metadata['idempotencyKey'] === 'string' ? metadata['idempotencyKey'] : null,
    }));
  } finally {
    await client.end();
  }
}

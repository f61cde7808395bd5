import { type BalanceTotals, applyToBalance, decodeWalletEvent, walletStream, zeroBalance } from '@wallet/domain';
import type { Pool } from 'pg';
import { getAfter } from './read-model';
import type { TestApp } from './test-app';

/** The totals of one currency as GET /v1/totals answers them, money as strings. */
export interface TotalsAnswer {
  readonly currency: string;
  readonly position: string;
  readonly wallets: string;
  readonly ledger: string;
  readonly pendingDebits: string;
  readonly pendingCredits: string;
}

/**
 * The totals of every currency right after the event at `position`, folded by brute force
 * from the wallet streams PostgreSQL holds with the domain's own balance rule: no snapshot,
 * history row or projection involved.
 */
export async function foldTotals(pool: Pool, position: bigint): Promise<Map<string, Omit<TotalsAnswer, 'position'>>> {
  const { rows } = await pool.query<{ stream: string; type: string; schema_version: number; data: unknown }>(
    `select stream, type, schema_version, data from event_store.events where stream like $1 and position <= $2 order by position`,
    [`${walletStream('')}%`, position.toString()],
  );
  const wallets = new Map<string, { currency: string; balance: BalanceTotals }>();
  for (const row of rows) {
    const event = decodeWalletEvent({ type: row.type, schemaVersion: row.schema_version, data: row.data });
    if (event.type === 'WalletOpened') wallets.set(row.stream, { currency: event.data.currency, balance: zeroBalance });
    const wallet = wallets.get(row.stream)!;
    wallet.balance = applyToBalance(wallet.balance, event);
  }
  const sums = new Map<string, { wallets: bigint; ledger: bigint; pendingDebits: bigint; pendingCredits: bigint }>();
  for (const { currency, balance } of wallets.values()) {
    const sum = sums.get(currency) ?? { wallets: 0n, ledger: 0n, pendingDebits: 0n, pendingCredits: 0n };
    sums.set(currency, {
      wallets: sum.wallets + 1n,
      ledger: sum.ledger + balance.ledgerMinor,
      pendingDebits: sum.pendingDebits + balance.pendingDebitsMinor,
      pendingCredits: sum.pendingCredits + balance.pendingCreditsMinor,
    });
  }
  return new Map(
    [...sums].map(([currency, sum]) => [
      currency,
      { currency, wallets: sum.wallets.toString(), ledger: sum.ledger.toString(), pendingDebits: sum.pendingDebits.toString(), pendingCredits: sum.pendingCredits.toString() },
    ]),
  );
}

/** The brute-force totals of one currency at `position`, zeros when it has no wallet, as the route answers them. */
export async function expectedTotals(pool: Pool, currency: string, position: bigint): Promise<TotalsAnswer> {
  const folded = (await foldTotals(pool, position)).get(currency);
  return { currency, position: position.toString(), wallets: '0', ledger: '0', pendingDebits: '0', pendingCredits: '0', ...folded };
}

/** GET /v1/totals of a currency at a position the log has reached (waiting for the read model as a client would). */
export async function totalsAt(app: TestApp, currency: string, position: bigint): Promise<{ status: number; body: TotalsAnswer }> {
  const answer = await getAfter<TotalsAnswer>(app, `/v1/totals?currency=${currency}&atPosition=${position}`, position);
  return { status: answer.status, body: answer.body };
}

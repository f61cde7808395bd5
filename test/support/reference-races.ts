import { type HttpResult, post } from './http';
import { concurrently, transactionsPath } from './lifecycle';

/**
 * The two reference races the concurrency specs run on each setup (one process, two
 * processes, either event store): requests that share a reference but differ in everything
 * else, each under an Idempotency-Key of its own, so that only the reference can tell them
 * apart.
 */

export const RACERS = 20;

/** A reference no other spec or run uses. */
export const uniqueReference = (label: string): string => `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * RACERS transactions on one wallet, all with `reference`: credits, debits and pending debits
 * of different amounts (the wallet needs at least 3 × RACERS to cover any debit).
 * `baseUrlOf` picks the process each request goes to.
 */
export function raceTransactionReference(baseUrlOf: (index: number) => string, walletId: string, reference: string): Promise<HttpResult[]> {
  return concurrently(RACERS, (index) => {
    const amount = String(index + 1);
    const body =
      index % 3 === 0
        ? { type: 'credit', amount, reference }
        : index % 3 === 1
          ? { type: 'debit', amount, reference, metadata: { racer: index } }
          : { type: 'debit', amount, reference, pending: true };
    return post(baseUrlOf(index), transactionsPath(walletId), body, { 'idempotency-key': `${reference}-${index}` });
  });
}

/**
 * Opens 2 × RACERS wallets, each allowed 1000 below 0 (so that none needs funding): a pair
 * of its own for each racer of raceGroupReference.
 */
export async function walletPairs(baseUrl: string): Promise<string[]> {
  return Promise.all(
    Array.from({ length: 2 * RACERS }, async () => {
      const opened = await post(baseUrl, '/v1/wallets', { type: 'main', currency: 'USD', overdraftLimit: '1000' });
      if (opened.status !== 201) throw new Error(`open failed: ${opened.status} ${JSON.stringify(opened.body)}`);
      return opened.body.id as string;
    }),
  );
}

/**
 * RACERS groups, all with `reference`, each between a pair of `wallets` (from walletPairs) no
 * other racer touches: nothing but the reference can serialise them. Two in three are
 * transfers, the others two-leg groups by the groups route.
 */
export function raceGroupReference(baseUrlOf: (index: number) => string, wallets: readonly string[], reference: string): Promise<HttpResult[]> {
  return concurrently(RACERS, (index) => {
    const [from, to] = [wallets[2 * index]!, wallets[2 * index + 1]!];
    const amount = String(index + 1);
    const headers = { 'idempotency-key': `${reference}-${index}` };
    if (index % 3 === 2) {
      const transactions = [{ walletId: from, type: 'debit', amount }, { walletId: to, type: 'credit', amount }];
      return post(baseUrlOf(index), '/v1/transaction-groups', { reference, transactions }, headers);
    }
    return post(baseUrlOf(index), '/v1/transfers', { fromWalletId: from, toWalletId: to, amount, reference }, headers);
  });
}

export interface RaceOutcome {
  readonly winner: HttpResult;
  readonly existingIds: readonly string[];
}

/**
 * Exactly one 201; every other answer a 409 REFERENCE_ALREADY_USED naming the winner's id
 * (`idOf`), or, when `contentionAllowed` (two processes racing on expected revisions), a
 * retryable 503 WRITE_CONTENTION. Returns the winner and the existingIds seen.
 */
export function expectOneWinner(results: readonly HttpResult[], idOf: (winner: HttpResult) => string, contentionAllowed = false): RaceOutcome {
  const winners = results.filter((result) => result.status === 201);
  expect(winners.map((result) => result.status)).toEqual([201]);
  const winner = winners[0]!;
  const losers = results.filter((result) => result !== winner);
  const existingIds: string[] = [];
  for (const loser of losers) {
    if (contentionAllowed && loser.body?.code === 'WRITE_CONTENTION') {
      expect(loser.status).toBe(503);
      continue;
    }
    expect(loser.headers.get('content-type')).toContain('application/problem+json');
    expect(loser.body).toMatchObject({ status: 409, code: 'REFERENCE_ALREADY_USED', existingId: idOf(winner) });
    existingIds.push(loser.body.existingId as string);
  }
  // Without contention every loser names the winner; with it, at least one must.
  expect(existingIds.length).toBeGreaterThanOrEqual(contentionAllowed ? 1 : losers.length);
  return { winner, existingIds };
}

/** The amount the winning racer `index` moved, as raceTransactionReference or raceGroupReference sent it. */
export const racerAmount = (results: readonly HttpResult[], winner: HttpResult): bigint => BigInt(results.indexOf(winner) + 1);

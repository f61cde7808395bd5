import { type HttpResult, post } from './http';

/** Paths and checks the payment lifecycle specs share: holds, captures, increases and reversals over HTTP. */

export type TransactionAction = 'confirm' | 'reject' | 'increase' | 'reverse';

export const transactionsPath = (walletId: string): string => `/v1/wallets/${walletId}/transactions`;

export const actionPath = (walletId: string, transactionId: string, action: TransactionAction): string =>
  `${transactionsPath(walletId)}/${transactionId}/${action}`;

export const groupReversePath = (groupId: string): string => `/v1/transaction-groups/${groupId}/reverse`;

/** Fires `count` requests at once (no request awaits another). */
export const concurrently = (count: number, send: (index: number) => Promise<HttpResult>): Promise<HttpResult[]> =>
  Promise.all(Array.from({ length: count }, (_, index) => send(index)));

/** A pending debit (a hold) of `amount`; returns its id and the position it was recorded at. */
export async function placeHold(baseUrl: string, walletId: string, amount: string, extra: Record<string, unknown> = {}): Promise<{ id: string; position: string }> {
  const hold = await post(baseUrl, transactionsPath(walletId), { type: 'debit', amount, pending: true, ...extra });
  if (hold.status !== 201) throw new Error(`hold failed: ${hold.status} ${JSON.stringify(hold.body)}`);
  return { id: hold.body.transaction.id as string, position: hold.body.position as string };
}

/** A capture of `amount` (final unless said otherwise). */
export const capture = (baseUrl: string, walletId: string, transactionId: string, amount: string, final = true): Promise<HttpResult> =>
  post(baseUrl, actionPath(walletId, transactionId, 'confirm'), { amount, final });

export const withStatus = (results: readonly HttpResult[], status: number): HttpResult[] => results.filter((result) => result.status === status);

export const withoutStatus = (results: readonly HttpResult[], status: number): HttpResult[] => results.filter((result) => result.status !== status);

/** The accepted answer with the highest position: its balance is the wallet's after every accepted command. */
export function lastAnswer(results: readonly HttpResult[]): HttpResult {
  const accepted = results.filter((result) => result.status === 200 || result.status === 201);
  if (accepted.length === 0) throw new Error('no command was accepted');
  return accepted.reduce((a, b) => (BigInt(a.body.position) > BigInt(b.body.position) ? a : b));
}

/** No answer is a 5xx but for the retryable WRITE_CONTENTION two processes may meet. */
export function expectNoServerError(results: readonly HttpResult[]): void {
  const failures = results.filter((result) => result.status >= 500 && result.body?.code !== 'WRITE_CONTENTION');
  expect(failures.map((result) => [result.status, result.body])).toEqual([]);
}

/** Every answer that carries a balance shows no negative figure, `available` least of all. */
export function expectNoNegativeBalance(results: readonly HttpResult[]): void {
  for (const result of results.filter((r) => r.status === 200 || r.status === 201)) {
    if (result.body.balance === undefined) continue;
    for (const field of ['ledger', 'available', 'pendingDebits', 'pendingCredits'] as const) {
      expect(BigInt(result.body.balance[field])).toBeGreaterThanOrEqual(0n);
    }
  }
}

/** Each result is a problem+json answer with this status and code. */
export function expectProblems(results: readonly HttpResult[], status: number, code: string): void {
  for (const result of results) {
    expect(result.headers.get('content-type')).toContain('application/problem+json');
    expect(result.body).toMatchObject({ status, code });
  }
}

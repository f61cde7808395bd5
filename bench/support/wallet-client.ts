import type autocannon from 'autocannon';
import { BENCH_API_KEY } from './bench-server';

/** The few API calls the HTTP scenarios make outside the measured load. */

export const AUTH_HEADERS = { authorization: `Bearer ${BENCH_API_KEY}` };

export interface CommandAnswer {
  readonly position: string;
  readonly balance: { readonly ledger: string; readonly available: string };
}

/** POSTs `body` as JSON and returns the parsed answer; anything but `expected` stops the run. */
export async function postJson<T>(url: string, body: unknown, expected = 201): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`POST ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/**
 * GETs `url` and returns the parsed answer. A 503 (read model behind a minPosition) is
 * retried for up to `patienceS`; anything else but 200 stops the run.
 */
export async function getJson<T>(url: string, patienceS = 60): Promise<T> {
  const deadline = Date.now() + patienceS * 1_000;
  for (;;) {
    const response = await fetch(url, { headers: AUTH_HEADERS });
    const text = await response.text();
    if (response.status === 200) return JSON.parse(text) as T;
    if (response.status !== 503 || Date.now() > deadline) throw new Error(`GET ${url}: ${response.status} ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Opens `count` wallets (USD, `body` unless told otherwise), `concurrency` requests at a time; returns their ids. */
export async function openWallets(baseUrl: string, count: number, concurrency: number, body: Record<string, unknown> = { type: 'bench', currency: 'USD' }): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, count - start) }, () => postJson<{ id: string }>(`${baseUrl}/v1/wallets`, body));
    ids.push(...(await Promise.all(batch)).map((wallet) => wallet.id));
  }
  return ids;
}

/** Credits `amount` to every wallet, 64 requests at a time. */
export async function fundWallets(baseUrl: string, walletIds: readonly string[], amount: bigint): Promise<void> {
  for (let start = 0; start < walletIds.length; start += 64) {
    const batch = walletIds.slice(start, start + 64);
    await Promise.all(batch.map((id) => postJson<CommandAnswer>(`${baseUrl}/v1/wallets/${id}/transactions`, { type: 'credit', amount: amount.toString() })));
  }
}

/** A credit or debit as the load generator sends it: JSON body, the wallet's transactions route. */
export function transactionRequestBody(type: 'credit' | 'debit', amount: bigint): string {
  return JSON.stringify({ type, amount: amount.toString() });
}

export const JSON_HEADERS = { 'content-type': 'application/json', ...AUTH_HEADERS };

/** A credit of 100 to a wallet drawn at random for each request: the http-credit load. */
export function creditRequests(walletIds: readonly string[]): autocannon.Request[] {
  const body = transactionRequestBody('credit', 100n);
  return [
    {
      method: 'POST',
      headers: JSON_HEADERS,
      setupRequest: (request) => ({ ...request, path: `/v1/wallets/${walletIds[Math.floor(Math.random() * walletIds.length)]}/transactions`, body }),
    },
  ];
}

/**
 * A transfer of `amount` between the two wallets `pick` draws for each request: the body of
 * POST /v1/transfers, which the ledger floor server takes too.
 */
export function transferRequests(pick: () => readonly [string, string], amount: bigint): autocannon.Request[] {
  return [
    {
      method: 'POST',
      path: '/v1/transfers',
      headers: JSON_HEADERS,
      setupRequest: (request) => {
        const [fromWalletId, toWalletId] = pick();
        return { ...request, body: JSON.stringify({ fromWalletId, toWalletId, amount: amount.toString() }) };
      },
    },
  ];
}

/** Two distinct wallets drawn at random. */
export function randomPair(walletIds: readonly string[]): readonly [string, string] {
  const from = Math.floor(Math.random() * walletIds.length);
  // Any other index, uniformly: shift past `from`.
  const offset = 1 + Math.floor(Math.random() * (walletIds.length - 1));
  return [walletIds[from]!, walletIds[(from + offset) % walletIds.length]!];
}

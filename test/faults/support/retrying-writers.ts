import { randomUUID } from 'node:crypto';
import { withAuthorization } from '../../support/http';
import { sleep } from './fault-case';

/** What one logical write ended as, after every retry it needed. */
export interface Outcome {
  readonly walletId: string;
  readonly type: 'credit' | 'debit';
  readonly amount: bigint;
  readonly idempotencyKey: string;
  /** The final answer's status: 201 applied, 422 refused by the domain. */
  readonly status: number;
  readonly transactionId?: string;
  /** How many attempts it took, and what the ones before the last answered (status, or 'no answer (<why>)'). */
  readonly attempts: number;
  readonly retriedOn: readonly string[];
  /** When the first attempt was sent and the final answer came (ms since the epoch). */
  readonly startedAt: number;
  readonly answeredAt: number;
}

export interface WriterLoad {
  /** Where to send; read at every attempt, so a restarted API on a new address is followed. */
  readonly baseUrl: () => string;
  readonly walletIds: readonly string[];
  readonly writers: number;
  /** Stops starting new writes once it returns true; writes in flight still finish. */
  readonly stop: () => boolean;
  /** Bound on the attempts of one write (each waits `retryDelayMs`, or Retry-After when longer). */
  readonly attemptsMax?: number;
  readonly retryDelayMs?: number;
}

/**
 * Writers as a careful client writes: each credit or debit carries an Idempotency-Key of its
 * own and is sent again with the same key until it gets a final answer (201 or 422). No
 * answer, a 5xx or a 409 IDEMPOTENCY_KEY_IN_PROGRESS are retried, after Retry-After when
 * the answer has one.
 */
export async function runRetryingWriters(load: WriterLoad): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  await Promise.all(
    Array.from({ length: load.writers }, async (_, writer) => {
      for (let i = 0; !load.stop(); i += 1) {
        const walletId = load.walletIds[(writer + i) % load.walletIds.length]!;
        const type = i % 3 === 2 ? 'debit' : 'credit';
        outcomes.push(await writeUntilAnswered(load, walletId, type, BigInt(1 + ((writer * 7 + i) % 50))));
      }
    }),
  );
  return outcomes;
}

async function writeUntilAnswered(load: WriterLoad, walletId: string, type: 'credit' | 'debit', amount: bigint): Promise<Outcome> {
  const idempotencyKey = randomUUID();
  const retriedOn: string[] = [];
  const startedAt = Date.now();
  const attemptsMax = load.attemptsMax ?? 600;
  for (let attempt = 1; attempt <= attemptsMax; attempt += 1) {
    const answer = await send(load.baseUrl(), walletId, type, amount, idempotencyKey);
    if (answer.status === 201 || answer.status === 422) {
      return { walletId, type, amount, idempotencyKey, status: answer.status, transactionId: answer.transactionId, attempts: attempt, retriedOn, startedAt, answeredAt: Date.now() };
    }
    if (answer.status !== undefined && answer.status < 500 && answer.status !== 409) {
      throw new Error(`a write got ${answer.status}, which no retry mends: ${answer.text}`);
    }
    retriedOn.push(answer.status === undefined ? `no answer (${answer.text})` : `${answer.status}${answer.retryAfter === null ? '' : ' with Retry-After'}`);
    // A careful client waits as long as it is told to, and no less than its own pause.
    await sleep(Math.max(load.retryDelayMs ?? 100, Number(answer.retryAfter ?? 0) * 1_000));
  }
  throw new Error(`a write to ${walletId} had no final answer after ${attemptsMax} attempts: ${retriedOn.slice(-5).join(', ')}`);
}

interface Answer {
  readonly status?: number;
  readonly retryAfter: string | null;
  readonly transactionId?: string;
  readonly text: string;
}

async function send(baseUrl: string, walletId: string, type: string, amount: bigint, idempotencyKey: string): Promise<Answer> {
  try {
    const response = await fetch(`${baseUrl}/v1/wallets/${walletId}/transactions`, {
      method: 'POST',
      headers: withAuthorization({ 'content-type': 'application/json', 'idempotency-key': idempotencyKey }),
      body: JSON.stringify({ type, amount: amount.toString() }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    const transactionId = response.status === 201 ? (JSON.parse(text) as { transaction: { id: string } }).transaction.id : undefined;
    return { status: response.status, retryAfter: response.headers.get('retry-after'), transactionId, text };
  } catch (error) {
    // Why there was no answer: ECONNREFUSED (nothing listened), UND_ERR_SOCKET (the connection closed), TimeoutError...
    const cause = (error as { cause?: { code?: string; name?: string } }).cause;
    return { retryAfter: null, text: cause?.code ?? cause?.name ?? (error as Error).name };
  }
}

/** How many times each value occurs. */
export function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/**
 * Seconds from `since` (the service or its database back) until every write that was already
 * under way then had its final answer: how long clients kept retrying after the fault ended.
 */
export function secondsToSettle(outcomes: readonly Outcome[], since: number): number {
  const straddling = outcomes.filter((outcome) => outcome.startedAt <= since && outcome.answeredAt >= since);
  return Math.max(0, ...straddling.map((outcome) => outcome.answeredAt - since)) / 1_000;
}

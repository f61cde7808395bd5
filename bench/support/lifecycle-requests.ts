import type autocannon from 'autocannon';
import { percentile, round } from './results';
import { JSON_HEADERS } from './wallet-client';

/** The commands of one payment, in the order each connection sends them. */
export const LIFECYCLE_KINDS = ['authorise', 'increase', 'capture', 'reverse'] as const;
export type LifecycleKind = (typeof LIFECYCLE_KINDS)[number];

/** The amounts of one payment: a hold of 100 raised by 20, 60 captured (the other 60 released), 30 of it refunded. */
export const AUTHORISED = 100n;
export const INCREASE = 20n;
export const CAPTURED = 60n;
export const REVERSED = 30n;

/** What one connection knows of the payment it is walking through. */
interface PaymentContext {
  walletId?: string;
  transactionId?: string;
  /** When the request in flight was sent (performance.now()). */
  sentAt?: number;
  /** A command was refused: the rest of this payment is skipped. */
  broken?: boolean;
}

/** One run's answers for one command kind. */
export interface KindRun {
  ok: number;
  refused: number;
  readonly latenciesMs: number[];
}

export interface KindFigures {
  readonly ok: number;
  readonly refused: number;
  readonly okPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** Latency and outcome of every command, by kind and by run (the warm-up, then each round). */
export class KindRecorder {
  private readonly runs = new Map<'warm-up' | number, Record<LifecycleKind, KindRun>>();
  private current: Record<LifecycleKind, KindRun> | undefined;

  startRun(run: 'warm-up' | number): void {
    this.current = Object.fromEntries(LIFECYCLE_KINDS.map((kind) => [kind, { ok: 0, refused: 0, latenciesMs: [] }])) as unknown as Record<LifecycleKind, KindRun>;
    this.runs.set(run, this.current);
  }

  record(kind: LifecycleKind, status: number, latencyMs: number): void {
    const run = this.current?.[kind];
    if (!run) return;
    if (status >= 200 && status < 300) {
      run.ok += 1;
      run.latenciesMs.push(latencyMs);
    } else {
      run.refused += 1;
    }
  }

  /** One kind's figures in round `round`, which lasted `seconds`. */
  figures(roundNumber: number, kind: LifecycleKind, seconds: number): KindFigures {
    const run = this.runs.get(roundNumber)?.[kind];
    if (!run) throw new Error(`no figures for round ${roundNumber}`);
    const sorted = [...run.latenciesMs].sort((a, b) => a - b);
    return {
      ok: run.ok,
      refused: run.refused,
      okPerSecond: Math.round(run.ok / Math.max(seconds, 0.001)),
      p50Ms: round(percentile(sorted, 50), 1),
      p99Ms: round(percentile(sorted, 99), 1),
    };
  }

  /** Every answered 2xx of a kind, warm-up included: the log must hold at least as many events. */
  answeredOk(kind: LifecycleKind): number {
    return [...this.runs.values()].reduce((total, run) => total + run[kind].ok, 0);
  }
}

/**
 * The four commands of a payment as autocannon requests: each connection authorises a hold
 * on a wallet drawn at random, raises it, captures part of it (final) and refunds part of
 * the capture, then starts again. Autocannon builds each request just before it writes it,
 * so the moment setupRequest runs is the moment the request is sent.
 */
export function lifecycleRequests(walletIds: readonly string[], recorder: KindRecorder): autocannon.Request[] {
  const step = (kind: LifecycleKind, action: string | null, body: (context: PaymentContext) => unknown): autocannon.Request => ({
    method: 'POST',
    headers: JSON_HEADERS,
    setupRequest: (request, context: PaymentContext) => {
      if (action === null) {
        context.walletId = walletIds[Math.floor(Math.random() * walletIds.length)]!;
      } else if (context.broken || context.transactionId === undefined) {
        // A falsy request sends autocannon back to the first one: a new payment.
        return undefined as unknown as autocannon.Request;
      }
      context.sentAt = performance.now();
      const path = `/v1/wallets/${context.walletId}/transactions${action === null ? '' : `/${context.transactionId}/${action}`}`;
      return { ...request, path, body: JSON.stringify(body(context)) };
    },
    onResponse: (status, responseBody, context: PaymentContext) => {
      recorder.record(kind, status, performance.now() - (context.sentAt ?? performance.now()));
      if (status < 200 || status >= 300) context.broken = true;
      else if (action === null) context.transactionId = (JSON.parse(responseBody) as { transaction: { id: string } }).transaction.id;
    },
  });
  return [
    step('authorise', null, () => ({ type: 'debit', amount: AUTHORISED.toString(), pending: true })),
    step('increase', 'increase', () => ({ amount: INCREASE.toString() })),
    step('capture', 'confirm', () => ({ amount: CAPTURED.toString(), final: true })),
    step('reverse', 'reverse', () => ({ amount: REVERSED.toString(), reason: 'partial refund' })),
  ];
}

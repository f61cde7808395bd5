import type { LoggedEvent, StreamWrite } from './log-records';

/** How far back the server remembers event ids of a stream for appends with expected revision `any`. */
export const IDEMPOTENCY_WINDOW = 1_000;

/**
 * What the server decides for one stream of a write: write it, treat it as a repeat of events already
 * written (`original` is the last of them), or refuse it on a revision conflict.
 */
export type WriteDecision =
  | { readonly kind: 'ok' }
  | { readonly kind: 'idempotent'; readonly original: LoggedEvent }
  | { readonly kind: 'conflict' };

/**
 * The server's commit check for one stream, including its idempotency by event id:
 * - expected `any`: if the first event id is among the stream's last {@link IDEMPOTENCY_WINDOW} events,
 *   every id must be there (a repeat), otherwise it is a conflict; if it is not, the events are written;
 * - expected revision (or `no_stream` = -1) behind the stream's end: a repeat when the ids are exactly
 *   the events written right after that revision, a conflict otherwise;
 * - `stream_exists`: written when the stream exists, a conflict otherwise.
 */
export function checkIdempotency(write: StreamWrite, stream: readonly LoggedEvent[]): WriteDecision {
  const current = BigInt(stream.length - 1);
  const ids = write.events.map((event) => event.eventId);
  if (write.expected === 'stream_exists') return current >= 0n ? { kind: 'ok' } : { kind: 'conflict' };
  if (write.expected === 'any') return checkRecent(ids, stream);
  const expected = write.expected === 'no_stream' ? -1n : write.expected;
  if (expected === current) return { kind: 'ok' };
  if (expected > current || ids.length === 0) return { kind: 'conflict' };
  return checkFollowing(ids, stream, Number(expected) + 1);
}

function checkRecent(ids: readonly string[], stream: readonly LoggedEvent[]): WriteDecision {
  if (ids.length === 0) return { kind: 'ok' };
  const recent = new Map(stream.slice(-IDEMPOTENCY_WINDOW).map((event) => [event.eventId, event]));
  if (!recent.has(ids[0])) return { kind: 'ok' };
  let original: LoggedEvent | undefined;
  for (const id of ids) {
    original = recent.get(id);
    if (!original) return { kind: 'conflict' };
  }
  return { kind: 'idempotent', original: original! };
}

function checkFollowing(ids: readonly string[], stream: readonly LoggedEvent[], first: number): WriteDecision {
  const written = stream.slice(first, first + ids.length);
  if (written.length < ids.length || written.some((event, i) => event.eventId !== ids[i])) return { kind: 'conflict' };
  return { kind: 'idempotent', original: written.at(-1)! };
}

import type { ExpectedRevision, RecordedEvent } from './event-store.port';

/** The events of one stream a writer missed: after the revision it expected, `complete` when that is all of them. */
export interface MissedEvents {
  readonly events: readonly RecordedEvent[];
  readonly complete: boolean;
}

/** Another writer got there first; reload the stream and decide again. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';

  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream' | 'unknown',
    /**
     * When the store can tell: every stream of the append that had moved on, with the events
     * the writer had not seen, so that it can decide again without reading them first.
     */
    readonly missed?: ReadonlyMap<string, MissedEvents>,
  ) {
    super(`Stream ${stream}: expected revision ${String(expected)}, found ${String(actual)}.`);
  }
}

export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
}

/** The idempotency key was taken over by another request; this one must not commit. */
export class IdempotencyLeaseLostError extends Error {
  override readonly name = 'IdempotencyLeaseLostError';

  constructor(
    message: string,
    /** The key that was lost, when the store knows it. */
    readonly key?: string,
  ) {
    super(message);
  }
}

/**
 * The events were appended, but the answer to keep under the Idempotency-Key could not be
 * stored (on KurrentDB the key lives in PostgreSQL, written after the append). The key must
 * not be released: a retry would run the command again. It stays `in_progress` until its
 * lease ends (docs/event-stores.md).
 */
export class IdempotencyAnswerUnsavedError extends Error {
  override readonly name = 'IdempotencyAnswerUnsavedError';

  constructor(
    readonly key: string,
    cause: unknown,
  ) {
    super(`The events were appended but the answer under Idempotency-Key ${key} could not be stored.`, { cause });
  }
}

/*
 * The records of the double's transaction log and of the writes to it. The log and its
 * idempotency check both use them, so they depend on neither.
 */

/** An event as stored in the double's transaction log. `position` is both its commit and prepare position. */
export interface LoggedEvent {
  readonly position: bigint;
  readonly stream: string;
  readonly revision: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, which is what the server sends as `created`. */
  readonly created: bigint;
  /** Bytes the record takes in the log: the next record starts at `position + size`. */
  readonly size: number;
}

/** An event a client proposes to append. */
export interface ProposedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

/** Expected state of a stream before an append: a revision, or one of the three markers. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** The events one append (or one stream of a multi-stream append) writes. */
export interface StreamWrite {
  readonly stream: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly ProposedEvent[];
}

/** Result for one stream of a successful write: its last revision, -1 when the stream still does not exist. */
export interface StreamWritten {
  readonly stream: string;
  readonly lastRevision: bigint;
}

/** Outcome of a write: written (or recognised as an idempotent repeat), or refused on a revision conflict. */
export type WriteOutcome =
  | { readonly kind: 'written'; readonly streams: StreamWritten[]; readonly position: bigint | undefined }
  | { readonly kind: 'conflict'; readonly stream: string; readonly expected: ExpectedRevision; readonly actual: bigint };

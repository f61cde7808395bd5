import { type ChainPlace, type HashedContent, NO_PREVIOUS_HASH, contentHash, linkHash } from './event-hash';

/** An event as stored, with the hash it was stored with (null before the chain started). */
export interface StoredChainEvent extends HashedContent, ChainPlace {
  readonly hash: Buffer | null;
}

/**
 * - `hash-mismatch`: the stored hash is not the hash of the event's content and place chained
 *   to the previous event's stored hash: the event's data, metadata, type, id, revision,
 *   position or recording time, or the stored hash itself, was changed.
 * - `broken-link`: the stream's order is broken: a revision is missing (an event was deleted),
 *   or positions do not grow with revisions.
 * - `missing-hash`: no hash, where every event has one: above the chain's start, or after a
 *   hashed event of the same stream.
 */
export type ChainBreakReason = 'hash-mismatch' | 'broken-link' | 'missing-hash';

export interface ChainBreak {
  readonly stream: string;
  readonly revision: number;
  readonly position: bigint;
  readonly reason: ChainBreakReason;
  /** What was found, in words. */
  readonly detail: string;
}

type Fault = Pick<ChainBreak, 'reason' | 'detail'>;

/**
 * One stream's chain, checked event by event in revision order. Stops at the first break:
 * every later event of the stream hangs on a broken link anyway.
 */
export class StreamChain {
  /** Events of the stream written before the chain started, accepted without a hash. */
  unchainedEvents = 0;
  private firstBreak: ChainBreak | undefined;
  private nextRevision = 0;
  private lastPosition = 0n;
  private previous = NO_PREVIOUS_HASH;
  private hashed = false;

  constructor(
    readonly stream: string,
    /** event_store.chain_start: a missing hash is accepted at or below this position only. */
    private readonly lastUnchainedPosition: bigint,
  ) {}

  get broken(): ChainBreak | undefined {
    return this.firstBreak;
  }

  /** Checks the stream's next event (in revision order); returns the stream's first break when this event is it. */
  check(event: StoredChainEvent): ChainBreak | undefined {
    if (this.firstBreak) return undefined;
    const fault = this.linkFault(event) ?? this.hashFault(event);
    this.nextRevision = event.revision + 1;
    this.lastPosition = event.position;
    if (!fault) return undefined;
    this.firstBreak = { stream: this.stream, revision: event.revision, position: event.position, ...fault };
    return this.firstBreak;
  }

  private linkFault(event: StoredChainEvent): Fault | undefined {
    if (event.revision !== this.nextRevision) {
      const detail = this.nextRevision === 0 ? `the stream starts at revision ${event.revision}` : `revision ${event.revision} follows revision ${this.nextRevision - 1}`;
      return { reason: 'broken-link', detail };
    }
    if (event.position <= this.lastPosition) {
      return { reason: 'broken-link', detail: `position ${event.position} is not after position ${this.lastPosition} of revision ${this.nextRevision - 1}` };
    }
    return undefined;
  }

  private hashFault(event: StoredChainEvent): Fault | undefined {
    if (event.hash === null) return this.unhashedFault(event);
    const expected = linkHash(this.previous, contentHash(event), event);
    this.previous = event.hash;
    this.hashed = true;
    if (expected.equals(event.hash)) return undefined;
    return { reason: 'hash-mismatch', detail: 'the stored hash is not the hash of this event chained to the one before it' };
  }

  private unhashedFault(event: StoredChainEvent): Fault | undefined {
    if (this.hashed) return { reason: 'missing-hash', detail: 'no hash, after hashed events of the stream' };
    if (event.position > this.lastUnchainedPosition) {
      return { reason: 'missing-hash', detail: `no hash, above position ${this.lastUnchainedPosition} where the chain starts` };
    }
    // Written before the chain started: the next event chains from zeros, as append_batch did.
    this.unchainedEvents += 1;
    return undefined;
  }
}

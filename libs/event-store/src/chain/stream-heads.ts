import { createHash, type Hash } from 'node:crypto';
import { NO_PREVIOUS_HASH } from './event-hash';

/** A digest of every stream's head at one position: record it elsewhere, compare it later. */
export interface StreamHeads {
  /** Each stream's head is its last event at or below this position. */
  readonly position: bigint;
  /** Streams with an event at or below the position. */
  readonly streams: number;
  /** Hex SHA-256; see StreamHeadsDigest. */
  readonly digest: string;
}

/**
 * SHA-256 over the chain's start, the position, then each stream's head in the order the
 * walk meets them (the database's order of stream names): the stream's name (4-byte
 * big-endian length, then UTF-8), its revision (8 bytes) and its stored hash (32 zero bytes
 * for an event written before the chain started). A head's hash covers its whole stream up
 * to it, so the digest changes if any event at or below the position is changed, removed or
 * added, even by someone who recomputed every hash.
 */
export class StreamHeadsDigest {
  private readonly hash: Hash = createHash('sha256');
  private streams = 0;

  constructor(
    lastUnchainedPosition: bigint,
    private readonly position: bigint,
  ) {
    const numbers = Buffer.alloc(16);
    numbers.writeBigInt64BE(lastUnchainedPosition, 0);
    numbers.writeBigInt64BE(position, 8);
    this.hash.update(numbers);
  }

  /** Whether an event at this position is at or below the digest's position. */
  covers(position: bigint): boolean {
    return position <= this.position;
  }

  /** Adds one stream's head; called once per stream, in walk order. */
  add(stream: string, revision: number, hash: Buffer | null): void {
    const name = Buffer.from(stream, 'utf8');
    const fixed = Buffer.alloc(12);
    fixed.writeUInt32BE(name.length, 0);
    fixed.writeBigInt64BE(BigInt(revision), 4);
    this.hash.update(fixed.subarray(0, 4)).update(name).update(fixed.subarray(4)).update(hash ?? NO_PREVIOUS_HASH);
    this.streams += 1;
  }

  result(): StreamHeads {
    return { position: this.position, streams: this.streams, digest: this.hash.digest('hex') };
  }
}

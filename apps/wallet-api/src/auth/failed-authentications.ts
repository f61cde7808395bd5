import { LRUCache } from 'lru-cache';

/** Addresses whose failures are counted at once; the oldest are forgotten first. */
const ADDRESSES_MAX = 100_000;
const WINDOW_MS = 60_000;

/**
 * Failed authentications per client address, in one-minute windows. The per-key rate limit
 * cannot count a request without a valid key; this does, so guessing keys (each guess a query
 * the first time) is bounded per address.
 */
export class FailedAuthentications {
  private readonly counts = new LRUCache<string, { failures: number }>({ max: ADDRESSES_MAX, ttl: WINDOW_MS });

  constructor(private readonly perMinute: number) {}

  /** True when the address used up its failures for this window. */
  exhausted(address: string): boolean {
    return (this.counts.get(address)?.failures ?? 0) >= this.perMinute;
  }

  record(address: string): void {
    const entry = this.counts.get(address);
    if (entry) entry.failures += 1;
    else this.counts.set(address, { failures: 1 });
  }

  /** Whole seconds until the address's window ends. */
  retryAfterS(address: string): number {
    return Math.max(1, Math.ceil(this.counts.getRemainingTTL(address) / 1_000));
  }
}

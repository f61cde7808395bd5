import { Inject, Injectable } from '@nestjs/common';
import { type ApiKeyRecord, type Caller, callerOf, findApiKey, isKeyShaped, isUsable } from '@wallet/access';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '@wallet/config';
import { PG_POOL } from '@wallet/postgres';
import { LRUCache } from 'lru-cache';
import type { Pool } from 'pg';

/** Keys remembered at once; misses are kept apart, so made-up keys never push out real ones. */
const KNOWN_KEYS_MAX = 10_000;
const UNKNOWN_KEYS_MAX = 10_000;

type Lookup = { readonly key: ApiKeyRecord; readonly caller: Caller };

/**
 * Finds the key behind a bearer secret. Lookups (misses included) are cached for
 * API_KEY_CACHE_MS, so a request costs no query; a key revoked through this process is
 * forgotten at once, one revoked elsewhere within API_KEY_CACHE_MS. Expiry is checked on
 * every request. A secret not shaped like a key is refused without a query.
 */
@Injectable()
export class Authenticator {
  private readonly known: LRUCache<string, Lookup> | undefined;
  private readonly unknown: LRUCache<string, true> | undefined;
  /** Moves on every revocation here: a lookup that began before one is not cached. */
  private generation = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const ttl = config.API_KEY_CACHE_MS;
    this.known = ttl > 0 ? new LRUCache({ max: KNOWN_KEYS_MAX, ttl }) : undefined;
    this.unknown = ttl > 0 ? new LRUCache({ max: UNKNOWN_KEYS_MAX, ttl }) : undefined;
  }

  /** The caller, or undefined for an unknown, revoked or expired key. */
  async authenticate(secret: string): Promise<Caller | undefined> {
    if (!isKeyShaped(secret)) return undefined;
    const lookup = this.known?.get(secret) ?? (this.unknown?.has(secret) ? undefined : await this.lookUp(secret));
    return lookup && isUsable(lookup.key, this.clock.now()) ? lookup.caller : undefined;
  }

  /** True when the secret is a key this process looked up recently and found. */
  remembers(secret: string): boolean {
    return this.known?.has(secret) ?? false;
  }

  /** Makes a revocation through this process take effect at once, lookups in flight included. */
  forget(keyId: string): void {
    this.generation += 1;
    for (const [secret, lookup] of this.known?.entries() ?? []) {
      if (lookup.key.id === keyId) this.known!.delete(secret);
    }
  }

  private async lookUp(secret: string): Promise<Lookup | undefined> {
    const generation = this.generation;
    const key = await findApiKey(this.pool, secret);
    const lookup = key && { key, caller: callerOf(key) };
    if (generation !== this.generation) return lookup;
    if (lookup) this.known?.set(secret, lookup);
    else this.unknown?.set(secret, true);
    return lookup;
  }
}

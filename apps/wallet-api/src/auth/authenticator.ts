import { Inject, Injectable } from '@nestjs/common';
import { type ApiKeyRecord, type Caller, callerOf, findApiKey, isUsable, secretHash } from '@wallet/access';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '@wallet/config';
import { PG_POOL } from '@wallet/read-model';
import { LRUCache } from 'lru-cache';
import type { Pool } from 'pg';

/** Keys remembered at once; a flood of made-up keys pushes out only other made-up keys' entries. */
const CACHE_ENTRIES_MAX = 10_000;

type Lookup = { readonly key: ApiKeyRecord; readonly caller: Caller } | { readonly key: null };

/**
 * Finds the key behind a bearer secret. Lookups (misses included) are cached for
 * API_KEY_CACHE_MS, so a request costs no query; a key revoked through this process is
 * forgotten at once, one revoked elsewhere within API_KEY_CACHE_MS. Expiry is checked on
 * every request.
 */
@Injectable()
export class Authenticator {
  private readonly cache: LRUCache<string, Lookup> | undefined;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.cache = config.API_KEY_CACHE_MS > 0 ? new LRUCache({ max: CACHE_ENTRIES_MAX, ttl: config.API_KEY_CACHE_MS }) : undefined;
  }

  /** The caller, or undefined for an unknown, revoked or expired key. */
  async authenticate(secret: string): Promise<Caller | undefined> {
    const cacheKey = secretHash(secret).toString('base64');
    let lookup = this.cache?.get(cacheKey);
    if (!lookup) {
      const key = await findApiKey(this.pool, secret);
      lookup = key ? { key, caller: callerOf(key) } : { key: null };
      this.cache?.set(cacheKey, lookup);
    }
    return lookup.key && isUsable(lookup.key, this.clock.now()) ? lookup.caller : undefined;
  }

  /** Makes a revocation through this process take effect at once. */
  forget(keyId: string): void {
    for (const [cacheKey, lookup] of this.cache?.entries() ?? []) {
      if (lookup.key?.id === keyId) this.cache!.delete(cacheKey);
    }
  }
}

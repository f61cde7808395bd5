import type { OwnerRef } from '@wallet/domain';
import type { Scope } from './scopes';

/** The owner an owner-scoped key acts for (a wallet owner): it sees only the wallets this owner holds. */
export type { OwnerRef };

/** Who is calling: the key that authenticated the request. */
export interface Caller {
  readonly keyId: string;
  readonly scopes: readonly Scope[];
  readonly owner?: OwnerRef;
  /** Requests per second this key may make; undefined: the service default. */
  readonly rateLimitPerSecond?: number;
}

import type { ApiKeyRecord } from './api-key-store';
import type { OwnerRef } from './caller';
import type { Scope } from './scopes';

/** A key as lists show it: never its secret, only its first characters (`hint`). */
export interface ApiKeyView {
  id: string;
  name: string;
  hint: string;
  scopes: readonly Scope[];
  owner: OwnerRef | null;
  rateLimitPerSecond: number | null;
  status: 'active' | 'revoked' | 'expired';
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export function presentApiKey(key: ApiKeyRecord, now: Date): ApiKeyView {
  const expired = key.expiresAt !== null && key.expiresAt.getTime() <= now.getTime();
  return {
    id: key.id,
    name: key.name,
    hint: key.hint,
    scopes: key.scopes,
    owner: key.owner,
    rateLimitPerSecond: key.rateLimitPerSecond,
    status: key.revokedAt !== null ? 'revoked' : expired ? 'expired' : 'active',
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

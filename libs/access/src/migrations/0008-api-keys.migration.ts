/**
 * API keys. Only a SHA-256 hash of each secret is stored; `hint` (the first characters)
 * tells keys apart in lists. Nothing is ever deleted: revoking sets revoked_at.
 */
export const up = /* sql */ `
create schema access;

create table access.api_keys (
  id uuid primary key,
  name text not null,
  secret_hash bytea not null unique check (octet_length(secret_hash) = 32),
  hint text not null,
  scopes text[] not null check (
    cardinality(scopes) > 0 and scopes <@ array['wallets:read', 'wallets:write', 'events:read', 'admin']
  ),
  owner_type text,
  owner_ref text,
  rate_limit_per_second integer check (rate_limit_per_second > 0),
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  check ((owner_type is null) = (owner_ref is null)),
  check (owner_type is null or not ('admin' = any (scopes)))
);

create index api_keys_owner_idx on access.api_keys (owner_type, owner_ref) where owner_type is not null;
`;

/**
 * Webhook endpoints and their delivery log. An endpoint row is also its delivery state: the
 * cursor (`delivered_through`), the batch in flight (kept whole so every attempt sends the
 * same body under the same webhook-id), the retry schedule and the lease of the process
 * delivering it. The secret is kept as given out: signing needs it, a hash would not do.
 */
export const up = /* sql */ `
create schema webhooks;

create table webhooks.endpoints (
  id uuid primary key,
  url text not null,
  types text[],
  wallet_id uuid,
  description text,
  owner_type text,
  owner_ref text,
  status text not null default 'enabled' check (status in ('enabled', 'disabled')),
  disabled_reason text,
  secret text not null,
  -- Secrets rotated out that still sign: [{ "secret": ..., "until": timestamptz }], newest first.
  previous_secrets jsonb not null default '[]' check (jsonb_typeof(previous_secrets) = 'array'),
  start_after bigint not null check (start_after >= 0),
  delivered_through bigint not null check (delivered_through >= 0),
  batch_id text,
  batch_first bigint,
  batch_last bigint,
  batch_next_after bigint,
  batch_body text,
  attempt integer not null default 0,
  failing_since timestamptz,
  next_attempt_at timestamptz not null default now(),
  last_error text,
  last_delivered_at timestamptz,
  attempts_total bigint not null default 0,
  failures_total bigint not null default 0,
  lease_holder text,
  lease_until timestamptz,
  created_at timestamptz not null default now(),
  check ((owner_type is null) = (owner_ref is null)),
  check ((batch_id is null) = (batch_body is null))
);

create index endpoints_due_idx on webhooks.endpoints (next_attempt_at) where status = 'enabled';
create index endpoints_owner_idx on webhooks.endpoints (owner_type, owner_ref, id) where owner_type is not null;

create table webhooks.deliveries (
  id bigint generated always as identity primary key,
  endpoint_id uuid not null references webhooks.endpoints (id),
  webhook_id text not null,
  first_position bigint not null,
  last_position bigint not null,
  attempt integer not null,
  status_code integer,
  duration_ms integer not null,
  error text,
  at timestamptz not null default now()
);

create index deliveries_endpoint_idx on webhooks.deliveries (endpoint_id, id desc);
-- The delivery log is kept for WEBHOOK_DELIVERY_LOG_DAYS: pruned by age.
create index deliveries_at_idx on webhooks.deliveries (at);
`;

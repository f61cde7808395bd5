/**
 * Read models in schema `read_model`, written only by the projector. No foreign keys: the
 * projector is their only writer and applies events in log order, and rows move to the
 * archive table freely.
 */
export const up = /* sql */ `
create schema if not exists read_model;

create table read_model.projection_checkpoints (
  name            text primary key,
  position        bigint not null default 0,
  updated_at      timestamptz not null default now(),
  failed_position bigint,
  failure         text
);

create table read_model.wallets (
  id         uuid primary key,
  type       text not null,
  currency   text not null,
  metadata   jsonb not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  version    integer not null,
  position   bigint not null
);
create index wallets_type_id_idx on read_model.wallets (type, id);

create table read_model.wallet_owners (
  wallet_id  uuid not null,
  owner_type text not null,
  owner_ref  text not null,
  created_at timestamptz not null,
  primary key (wallet_id, owner_type, owner_ref)
);
create index wallet_owners_owner_idx on read_model.wallet_owners (owner_type, owner_ref, wallet_id);

create table read_model.balances (
  wallet_id             uuid primary key,
  ledger                bigint not null,
  pending_debits        bigint not null,
  pending_credits       bigint not null,
  transaction_count     bigint not null,
  revision              bigint not null,
  position              bigint not null,
  events_since_snapshot integer not null,
  last_snapshot_at      timestamptz not null
);

create table read_model.transactions (
  id                       uuid primary key,
  wallet_id                uuid not null,
  type                     text not null,
  amount                   bigint not null,
  status                   text not null,
  description              text,
  metadata                 jsonb not null,
  group_id                 uuid,
  hold_timestamp           timestamptz,
  confirm_reject_timestamp timestamptz,
  reject_reason            text,
  expires_at               timestamptz,
  position                 bigint not null,
  created_position         bigint not null,
  created_at               timestamptz not null,
  updated_at               timestamptz not null
);
create index transactions_wallet_history_idx on read_model.transactions (wallet_id, created_position);
create index transactions_final_idx on read_model.transactions (updated_at) where status <> 'pending';
create index transactions_group_idx on read_model.transactions (group_id) where group_id is not null;

create table read_model.transactions_archive (like read_model.transactions including defaults);
alter table read_model.transactions_archive add primary key (id);
create index transactions_archive_wallet_history_idx on read_model.transactions_archive (wallet_id, created_position);

create table read_model.transaction_snapshots (
  id                bigint generated always as identity primary key,
  wallet_id         uuid not null,
  position          bigint not null,
  revision          bigint not null,
  snapshot_date     timestamptz not null,
  ledger            bigint not null,
  pending_debits    bigint not null,
  pending_credits   bigint not null,
  transaction_count bigint not null,
  is_ledger_entry   boolean not null default true
);
create index transaction_snapshots_wallet_position_idx on read_model.transaction_snapshots (wallet_id, position);
create index transaction_snapshots_wallet_date_idx on read_model.transaction_snapshots (wallet_id, snapshot_date);

create table read_model.transaction_groups (
  id          uuid primary key,
  status      text not null,
  description text,
  metadata    jsonb not null,
  created_at  timestamptz not null,
  updated_at  timestamptz not null,
  expires_at  timestamptz,
  position    bigint not null
);
`;

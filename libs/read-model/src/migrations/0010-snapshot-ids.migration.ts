/**
 * Snapshot ids become UUIDs like every other id. A snapshot is the wallet's state right after
 * one of its events, so (wallet, position) names it; its id is derived from that pair
 * (an RFC 9562 version 8 UUID from an MD5 of it) instead of a serial. Rows written before
 * this migration get theirs the same way, so they stay readable, and a rebuilt read model
 * gives every snapshot the id it had before.
 */
export const up = /* sql */ `
create function read_model.snapshot_id(wallet uuid, at_position bigint) returns uuid
language sql immutable parallel safe as $$
  select (substr(h, 1, 12) || '8' || substr(h, 14, 3) || substr('89ab', (get_byte(decode(substr(h, 17, 2), 'hex'), 0) & 3) + 1, 1) || substr(h, 18, 15))::uuid
    from md5(wallet::text || '/' || at_position::text) as h
$$;

alter table read_model.transaction_snapshots drop constraint transaction_snapshots_pkey;
alter table read_model.transaction_snapshots drop column id;
alter table read_model.transaction_snapshots
  add column id uuid generated always as (read_model.snapshot_id(wallet_id, position)) stored;
alter table read_model.transaction_snapshots add primary key (id);
create unique index transaction_snapshots_wallet_position_key on read_model.transaction_snapshots (wallet_id, position);
drop index read_model.transaction_snapshots_wallet_position_idx;
`;

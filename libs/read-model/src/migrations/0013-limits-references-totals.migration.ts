/**
 * Wallets keep their overdraft limit (NULL means unlimited: a system wallet); every wallet
 * opened before 0013 had none, so 0. Transactions and groups keep their reference, which no
 * row written before 0013 had. The archive gets the same column in the same place, so a move
 * stays `insert ... select *`. Metadata filters use jsonb containment served by GIN indexes.
 * A search across wallets with neither walks both tables' (created_position) indexes.
 *
 * Totals per currency are kept by the projector by deltas, with one history row per currency
 * per batch with events of it, at the batch's last event of the currency; `from_position` is
 * the batch's first, so the currency has no event between the row before and that position,
 * and totals at a position between two rows replay at most one batch. An upgraded database
 * starts them from the balances it already holds, at its checkpoint's position (from 0: where
 * its events lie is unknown), so they are right from the first batch on.
 */
const referenceOf = (table: string): string => `
alter table read_model.${table} add column reference text;
create index ${table}_wallet_reference_idx on read_model.${table} (wallet_id, reference) where reference is not null;
create index ${table}_reference_idx on read_model.${table} (reference) where reference is not null;
create index ${table}_metadata_idx on read_model.${table} using gin (metadata jsonb_path_ops);
`;

export const up = /* sql */ `
alter table read_model.wallets
  add column overdraft_limit bigint default 0,
  add constraint wallets_overdraft_limit_check check (overdraft_limit >= 0);
alter table read_model.wallets alter column overdraft_limit drop default;
create index wallets_metadata_idx on read_model.wallets using gin (metadata jsonb_path_ops);
${referenceOf('transactions')}${referenceOf('transactions_archive')}
create index transactions_created_position_idx on read_model.transactions (created_position);
create index transactions_archive_created_position_idx on read_model.transactions_archive (created_position);

alter table read_model.transaction_groups add column reference text;
create index transaction_groups_reference_idx on read_model.transaction_groups (reference) where reference is not null;

create table read_model.currency_totals (
  currency        text primary key,
  wallets         bigint not null,
  ledger          numeric not null,
  pending_debits  numeric not null,
  pending_credits numeric not null,
  position        bigint not null
);
create table read_model.currency_totals_history (
  currency        text not null,
  position        bigint not null,
  from_position   bigint not null,
  wallets         bigint not null,
  ledger          numeric not null,
  pending_debits  numeric not null,
  pending_credits numeric not null,
  primary key (currency, position)
);

insert into read_model.currency_totals (currency, wallets, ledger, pending_debits, pending_credits, position)
select wallets.currency, count(*), coalesce(sum(balances.ledger), 0), coalesce(sum(balances.pending_debits), 0),
       coalesce(sum(balances.pending_credits), 0),
       coalesce((select position from read_model.projection_checkpoints where name = 'read_model'), 0)
  from read_model.wallets
  left join read_model.balances on balances.wallet_id = wallets.id
 group by wallets.currency;
insert into read_model.currency_totals_history (currency, position, from_position, wallets, ledger, pending_debits, pending_credits)
select currency, position, 0, wallets, ledger, pending_debits, pending_credits from read_model.currency_totals;
`;

/**
 * Transactions carry their lifecycle: what is still held, captured, released and reversed,
 * and the transaction a reversal gives back. Rows written before 0012 knew only a status,
 * so their amounts follow from it: a pending hold holds all of it, a confirmed transaction
 * captured all of it, a rejected hold released all of it, and nothing was reversed yet.
 * The archive gets the same columns in the same order, so a move stays `insert ... select *`.
 * Groups name the group they reverse and the group that reversed them.
 */
const lifecycleOf = (table: string): string => `
alter table read_model.${table}
  add column held_amount     bigint not null default 0,
  add column captured_amount bigint not null default 0,
  add column released_amount bigint not null default 0,
  add column reversed_amount bigint not null default 0,
  add column reversal_of     uuid;
update read_model.${table}
   set held_amount     = case when status = 'pending' then amount else 0 end,
       captured_amount = case when status = 'confirmed' then amount else 0 end,
       released_amount = case when status = 'rejected' then amount else 0 end;
alter table read_model.${table}
  alter column held_amount drop default,
  alter column captured_amount drop default,
  alter column released_amount drop default,
  alter column reversed_amount drop default,
  add constraint ${table}_amounts_check
    check (held_amount >= 0 and captured_amount >= 0 and released_amount >= 0 and amount = held_amount + captured_amount + released_amount),
  add constraint ${table}_reversed_check check (reversed_amount >= 0 and reversed_amount <= captured_amount);
`;

export const up = /* sql */ `${lifecycleOf('transactions')}${lifecycleOf('transactions_archive')}
alter table read_model.transaction_groups
  add column reversal_of uuid,
  add column reversed_by uuid;
`;

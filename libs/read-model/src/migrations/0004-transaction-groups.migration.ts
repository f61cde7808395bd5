/**
 * Transaction groups keep their legs in order (the transactions table cannot: a group's legs
 * are written wallet by wallet), and pending holds with an expiry are found by an index.
 */
export const up = /* sql */ `
alter table read_model.transaction_groups add column legs jsonb not null default '[]';
alter table read_model.transaction_groups add column reject_reason text;
create index transaction_groups_expiring_idx on read_model.transaction_groups (expires_at) where status = 'pending' and expires_at is not null;
create index transactions_expiring_idx on read_model.transactions (expires_at) where status = 'pending' and expires_at is not null and group_id is null;
`;

import { Client } from 'pg';

/** The SQLSTATEs the floor's function raises: a refused debit (answered 422), an unknown account (404). */
export const INSUFFICIENT_FUNDS = 'BL422';
export const NO_ACCOUNT = 'BL404';

/**
 * The floor of a durable transfer: pgledger's pgledger_create_transfer, rebuilt on the
 * API's database. One plpgsql call in one transaction locks both accounts in id order
 * (so that two transfers between the same accounts cannot deadlock), refuses a debit that
 * would take a balance below 0 unless the account allows it, updates both balances and
 * versions, and inserts the transfer and its two entries, with the indexes pgledger keeps.
 * It is what a hand-written ledger costs per transfer with no events, no history reads and
 * no HTTP layer beyond a bare route.
 */
export const LEDGER_FLOOR_SCHEMA = `
  create table if not exists bench_ledger_accounts (
    id uuid primary key,
    balance bigint not null,
    currency text not null,
    version bigint not null default 0,
    allow_negative_balance boolean not null default false
  );
  create table if not exists bench_ledger_transfers (
    id bigserial primary key,
    from_account uuid not null references bench_ledger_accounts (id),
    to_account uuid not null references bench_ledger_accounts (id),
    amount bigint not null check (amount > 0),
    created_at timestamptz not null default now(),
    check (from_account <> to_account)
  );
  create index if not exists bench_ledger_transfers_from on bench_ledger_transfers (from_account);
  create index if not exists bench_ledger_transfers_to on bench_ledger_transfers (to_account);
  create table if not exists bench_ledger_entries (
    id bigserial primary key,
    account_id uuid not null references bench_ledger_accounts (id),
    transfer_id bigint not null references bench_ledger_transfers (id),
    amount bigint not null,
    account_previous_balance bigint not null,
    account_current_balance bigint not null,
    account_version bigint not null,
    created_at timestamptz not null default now()
  );
  create index if not exists bench_ledger_entries_account on bench_ledger_entries (account_id);
  create index if not exists bench_ledger_entries_transfer on bench_ledger_entries (transfer_id);

  create or replace function bench_ledger_create_transfer(from_id uuid, to_id uuid, amount bigint) returns bigint as $$
  declare
    from_account bench_ledger_accounts;
    to_account bench_ledger_accounts;
    new_transfer bigint;
  begin
    -- Both rows locked in id order, whichever way the money goes.
    perform 1 from bench_ledger_accounts where id in (from_id, to_id) order by id for update;
    update bench_ledger_accounts set balance = balance - amount, version = version + 1
      where id = from_id returning * into from_account;
    if from_account.id is null then
      raise exception 'no account %', from_id using errcode = '${NO_ACCOUNT}';
    end if;
    if from_account.balance < 0 and not from_account.allow_negative_balance then
      raise exception 'insufficient funds on %', from_id using errcode = '${INSUFFICIENT_FUNDS}';
    end if;
    update bench_ledger_accounts set balance = balance + amount, version = version + 1
      where id = to_id returning * into to_account;
    if to_account.id is null then
      raise exception 'no account %', to_id using errcode = '${NO_ACCOUNT}';
    end if;
    insert into bench_ledger_transfers (from_account, to_account, amount) values (from_id, to_id, amount)
      returning id into new_transfer;
    insert into bench_ledger_entries (account_id, transfer_id, amount, account_previous_balance, account_current_balance, account_version)
      values (from_id, new_transfer, -amount, from_account.balance + amount, from_account.balance, from_account.version),
             (to_id, new_transfer, amount, to_account.balance - amount, to_account.balance, to_account.version);
    return new_transfer;
  end
  $$ language plpgsql;
`;

export interface FloorAccount {
  readonly id: string;
  readonly balance: bigint;
  /** The system account's side of a top-up: no floor, as an "unlimited" wallet of the API. */
  readonly allowNegative?: boolean;
}

/** Creates the floor's accounts (the API's wallet ids and funding), in batches of 1,000 rows. */
export async function seedFloorAccounts(databaseUrl: string, accounts: readonly FloorAccount[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let start = 0; start < accounts.length; start += 1_000) {
      const batch = accounts.slice(start, start + 1_000);
      await client.query(
        `insert into bench_ledger_accounts (id, balance, currency, allow_negative_balance)
         select id, balance, 'USD', allow_negative from unnest($1::uuid[], $2::bigint[], $3::boolean[]) as a(id, balance, allow_negative)`,
        [batch.map((a) => a.id), batch.map((a) => a.balance.toString()), batch.map((a) => a.allowNegative === true)],
      );
    }
  } finally {
    await client.end();
  }
}

import type { BalanceTotals, OverdraftLimit } from '@wallet/domain';
import type { Pool } from 'pg';
import { type MetadataFilter, metadataConditions } from './metadata-filter';
import { heldWalletIdsSql } from './owner-access.queries';
import { SqlParams, type Statement } from './sql-params';

export interface OwnerRecord {
  readonly ownerType: string;
  readonly ownerRef: string;
  readonly createdAt: string;
}

/** A wallet as the read model holds it, with its current balance. */
export interface WalletRecord {
  readonly id: string;
  readonly type: string;
  readonly currency: string;
  readonly owners: readonly OwnerRecord[];
  readonly metadata: Record<string, string | number | boolean | null>;
  /** How far below zero `available` may go; 'unlimited' for a system wallet. */
  readonly overdraftLimit: OverdraftLimit;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  /** Position of the wallet's last event: the balance is as of it. */
  readonly position: bigint;
  readonly balance: BalanceTotals;
}

export interface WalletFilter {
  readonly type?: string;
  readonly owner?: { readonly ownerType: string; readonly ownerRef: string };
  readonly metadata?: MetadataFilter;
  /** Keyset: only wallets with a greater id. */
  readonly afterId?: string;
  readonly limit: number;
}

interface WalletDbRow {
  id: string;
  type: string;
  currency: string;
  metadata: WalletRecord['metadata'];
  overdraft_limit: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  position: string;
  ledger: string;
  pending_debits: string;
  pending_credits: string;
}

const WALLET_SELECT = `
  select w.id, w.type, w.currency, w.metadata, w.overdraft_limit, w.created_at, w.updated_at, w.version, w.position,
         b.ledger, b.pending_debits, b.pending_credits
    from read_model.wallets w join read_model.balances b on b.wallet_id = w.id`;

export async function findWallet(db: Pool, walletId: string): Promise<WalletRecord | undefined> {
  const { rows } = await db.query<WalletDbRow>(`${WALLET_SELECT} where w.id = $1`, [walletId]);
  return (await withOwners(db, rows))[0];
}

/** One page of wallets in id order (UUIDv7 ids: creation order). */
export async function listWallets(db: Pool, filter: WalletFilter): Promise<WalletRecord[]> {
  const { text, values } = walletsStatement(filter);
  const { rows } = await db.query<WalletDbRow>(text, [...values]);
  return withOwners(db, rows);
}

/** The statement listWallets runs (its plan is checked in a spec). */
export function walletsStatement(filter: WalletFilter): Statement {
  const params = new SqlParams();
  const conditions: string[] = [];
  if (filter.type !== undefined) conditions.push(`w.type = ${params.add(filter.type)}`);
  if (filter.owner !== undefined) conditions.push(`w.id in (${heldWalletIdsSql(filter.owner, params)})`);
  conditions.push(...metadataConditions('w.metadata', filter.metadata, params));
  if (filter.afterId !== undefined) conditions.push(`w.id > ${params.add(filter.afterId)}::uuid`);
  const where = conditions.length === 0 ? '' : `where ${conditions.join(' and ')}`;
  return { text: `${WALLET_SELECT} ${where} order by w.id limit ${params.add(filter.limit)}`, values: params.values };
}

export async function walletExists(db: Pool, walletId: string): Promise<boolean> {
  const { rowCount } = await db.query('select 1 from read_model.wallets where id = $1', [walletId]);
  return rowCount === 1;
}

/** Owners of every wallet of a page in one statement, oldest first. */
async function withOwners(db: Pool, rows: readonly WalletDbRow[]): Promise<WalletRecord[]> {
  if (rows.length === 0) return [];
  const { rows: owners } = await db.query<{ wallet_id: string; owner_type: string; owner_ref: string; created_at: Date }>(
    `select wallet_id, owner_type, owner_ref, created_at from read_model.wallet_owners
      where wallet_id = any($1::uuid[]) order by wallet_id, created_at, owner_type, owner_ref`,
    [rows.map((row) => row.id)],
  );
  const byWallet = new Map<string, OwnerRecord[]>();
  for (const owner of owners) {
    const record = { ownerType: owner.owner_type, ownerRef: owner.owner_ref, createdAt: owner.created_at.toISOString() };
    const list = byWallet.get(owner.wallet_id) ?? [];
    list.push(record);
    byWallet.set(owner.wallet_id, list);
  }
  return rows.map((row) => toWalletRecord(row, byWallet.get(row.id) ?? []));
}

function toWalletRecord(row: WalletDbRow, owners: OwnerRecord[]): WalletRecord {
  return {
    id: row.id,
    type: row.type,
    currency: row.currency,
    owners,
    metadata: row.metadata,
    overdraftLimit: row.overdraft_limit === null ? 'unlimited' : BigInt(row.overdraft_limit),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
    position: BigInt(row.position),
    balance: { ledgerMinor: BigInt(row.ledger), pendingDebitsMinor: BigInt(row.pending_debits), pendingCreditsMinor: BigInt(row.pending_credits) },
  };
}

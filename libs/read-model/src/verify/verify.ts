import { createHash } from 'node:crypto';
import {
  type BalanceTotals,
  type OverdraftLimit,
  type WalletEvent,
  applyToBalance,
  decodeGroupEvent,
  decodeWalletEvent,
  recordsTransaction,
  zeroBalance,
} from '@wallet/domain';
import type { EventStore } from '@wallet/event-store';
import type { Pool, PoolClient } from 'pg';
import { READ_MODEL_PROJECTION } from '../projector/checkpoints';
import { isGroupEvent, isWalletEvent } from '../projector/batch-events';
import { schemaName } from '../projector/schema-name';
import type { BalanceDbRow } from '../projector/wallet-balances';
import { logPages } from '../replay/log-pages';
import { CurrencyTotalsCheck, type TotalsDrift } from './currency-totals-check';
import { type GroupDrift, GroupReferencesCheck } from './group-references-check';
import { type TransactionTotals, TransactionTotalsFold, zeroTotals } from './transaction-totals';

export type { TotalsDrift, TotalsDriftField } from './currency-totals-check';
export type { GroupDrift } from './group-references-check';

const PAGE_SIZE_DEFAULT = 1_000;
const DRIFTS_MAX_DEFAULT = 1_000;

/**
 * `wallet`: present on one side only; the others compare a balance field or a count, or a
 * sum over the wallet's transaction rows (live and archived): of a column (`amount` to
 * `reversedAmount`), or the rows of a status, the reversals, and `brokenRows`, the rows where
 * amount is not held + captured + released or more is reversed than was captured (always 0).
 * `overdraftLimit` compares the wallet's limit ('unlimited' for NULL); `referencedRows` the
 * rows with a reference and `referenceDigest` a sum of a hash of each row's id and reference,
 * so a reference changed, lost or moved to another row shows.
 */
export type DriftField =
  | 'wallet'
  | 'ledger'
  | 'pendingDebits'
  | 'pendingCredits'
  | 'transactionCount'
  | 'transactionRows'
  | 'amount'
  | 'heldAmount'
  | 'capturedAmount'
  | 'releasedAmount'
  | 'reversedAmount'
  | 'pendingRows'
  | 'confirmedRows'
  | 'rejectedRows'
  | 'reversalRows'
  | 'brokenRows'
  | 'overdraftLimit'
  | 'referencedRows'
  | 'referenceDigest';

export interface WalletDrift {
  readonly walletId: string;
  readonly field: DriftField;
  /** Folded from the event log ('present' or 'absent' for `wallet`). */
  readonly expected: string;
  /** Found in the read model. */
  readonly actual: string;
}

export interface DriftReport {
  /** The read model's checkpoint: the events up to it were compared. */
  readonly checkpoint: bigint;
  /** The log's last position when the check began: how far the read model trails it is head - checkpoint. */
  readonly head: bigint;
  /** Where the projector recorded a halt, if it did. */
  readonly failedPosition: bigint | null;
  readonly eventsFolded: number;
  readonly walletsCompared: number;
  readonly currenciesCompared: number;
  /** Every drift found, of wallets, of totals and of groups' references, each list up to `driftsMax`. */
  readonly driftCount: number;
  readonly drifts: readonly WalletDrift[];
  readonly totalsDrifts: readonly TotalsDrift[];
  readonly groupDrifts: readonly GroupDrift[];
}

export interface VerifyOptions {
  readonly pool: Pool;
  readonly store: EventStore;
  readonly schema?: string;
  /** Events read and balance rows compared per query (default 1,000). */
  readonly pageSize?: number;
  readonly driftsMax?: number;
  /** After every page of the log: the position reached and the checkpoint it folds up to. */
  readonly onProgress?: (position: bigint, checkpoint: bigint) => void;
}

interface FoldedWallet {
  currency: string | undefined;
  overdraftLimit: OverdraftLimit;
  totals: BalanceTotals;
  transactionCount: bigint;
  transactions: TransactionTotals;
  referencedRows: bigint;
  referenceDigest: bigint;
}

/** A balance row beside the sums over the wallet's transaction rows. */
interface ComparedRow extends Pick<BalanceDbRow, 'wallet_id' | 'ledger' | 'pending_debits' | 'pending_credits' | 'transaction_count'> {
  transaction_rows: string;
  amount: string;
  held: string;
  captured: string;
  released: string;
  reversed: string;
  pending_rows: string;
  confirmed_rows: string;
  rejected_rows: string;
  reversal_rows: string;
  broken_rows: string;
  overdraft_limit: string | null;
  referenced_rows: string;
  reference_digest: string;
}

/**
 * Folds the event log up to the read model's checkpoint independently of the projector,
 * wallet by wallet, and compares balances, transaction counts and the wallet's transaction
 * rows (live and archived: their number, the sum of each amount column, the rows of each
 * status and the reversals, and that every row keeps the amounts' rules, their references)
 * and the wallet's overdraft limit with the read model; every currency's totals, current
 * and the latest history row, with the log's sums over its wallets; and groups' references. The read model is read in one repeatable-read snapshot, so a projector running
 * meanwhile does not show up as drift. Keeps one small entry per wallet in memory, and the
 * captured amount of each hold still open.
 */
export async function verifyReadModel(options: VerifyOptions): Promise<DriftReport> {
  const schema = schemaName(options.schema ?? 'read_model');
  const client = await options.pool.connect();
  try {
    await client.query('begin transaction isolation level repeatable read read only');
    const { rows } = await client.query<{ position: string; failed_position: string | null }>(
      `select position, failed_position from ${schema}.projection_checkpoints where name = $1`,
      [READ_MODEL_PROJECTION],
    );
    const checkpoint = BigInt(rows[0]?.position ?? '0');
    const failedPosition = rows[0]?.failed_position == null ? null : BigInt(rows[0].failed_position);
    // Read after the checkpoint: a read model caught up is never reported behind.
    const head = await options.store.headPosition();
    const totals = await CurrencyTotalsCheck.read(client, schema);
    const groups = new GroupReferencesCheck();
    const { wallets, eventsFolded } = await foldLog(options, checkpoint, totals, groups);
    const pageSize = options.pageSize ?? PAGE_SIZE_DEFAULT;
    const report = new DriftCollector(options.driftsMax ?? DRIFTS_MAX_DEFAULT);
    const walletsCompared = await compareBalances(client, schema, wallets, report, pageSize);
    for (const drift of totals.drifts(checkpoint)) report.addTotals(drift);
    for (const drift of await groups.drifts(client, schema, pageSize)) report.addGroup(drift);
    await client.query('commit');
    const { count: driftCount, drifts, totalsDrifts, groupDrifts } = report;
    return { checkpoint, head, failedPosition, eventsFolded, walletsCompared, currenciesCompared: totals.currencies().size, driftCount, drifts, totalsDrifts, groupDrifts };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function foldLog(
  options: VerifyOptions,
  checkpoint: bigint,
  totals: CurrencyTotalsCheck,
  groups: GroupReferencesCheck,
): Promise<{ wallets: Map<string, FoldedWallet>; eventsFolded: number }> {
  const wallets = new Map<string, FoldedWallet>();
  const transactions = new TransactionTotalsFold();
  let eventsFolded = 0;
  for await (const page of logPages(options.store, 0n, checkpoint, options.pageSize ?? PAGE_SIZE_DEFAULT)) {
    for (const recorded of page) {
      if (isGroupEvent(recorded)) groups.apply(decodeGroupEvent(recorded));
      if (!isWalletEvent(recorded)) continue;
      const event = decodeWalletEvent(recorded);
      // PostgreSQL prints uuids in lower case, whatever case the event spelled them in.
      const walletId = event.data.walletId.toLowerCase();
      const wallet = wallets.get(walletId) ?? newWallet(event);
      foldWallet(wallet, event);
      transactions.apply(wallet.transactions, event);
      if (wallet.currency !== undefined) totals.apply(recorded.position, wallet.currency, event);
      wallets.set(walletId, wallet);
      eventsFolded += 1;
    }
    if (page.length > 0) options.onProgress?.(page[page.length - 1]!.position, checkpoint);
  }
  return { wallets, eventsFolded };
}

/** A wallet before its first event, which opens it (else its currency is unknown, and its row shows the drift). */
function newWallet(event: WalletEvent): FoldedWallet {
  const currency = event.type === 'WalletOpened' ? event.data.currency : undefined;
  return { currency, overdraftLimit: 0n, totals: zeroBalance, transactionCount: 0n, transactions: zeroTotals(), referencedRows: 0n, referenceDigest: 0n };
}

function foldWallet(wallet: FoldedWallet, event: WalletEvent): void {
  wallet.totals = applyToBalance(wallet.totals, event);
  if (recordsTransaction(event)) wallet.transactionCount += 1n;
  if (event.type === 'WalletOpened') wallet.overdraftLimit = event.data.overdraftLimit ?? 0n;
  else if (event.type === 'OverdraftLimitSet') wallet.overdraftLimit = event.data.overdraftLimit;
  else if (event.type === 'FundsCredited' || event.type === 'FundsDebited' || event.type === 'HoldPlaced' || event.type === 'TransactionReversed') {
    const { reference, transactionId } = event.data;
    if (reference === undefined) return;
    wallet.referencedRows += 1n;
    wallet.referenceDigest += referenceHash(transactionId.toLowerCase(), reference);
  }
}

/** The first 60 bits of the MD5 of "id:reference", as rowSumsSql computes it in PostgreSQL. */
function referenceHash(transactionId: string, reference: string): bigint {
  return BigInt(`0x${createHash('md5').update(`${transactionId}:${reference}`).digest('hex').slice(0, 15)}`);
}

/** Compares every balance row with the folded wallets, consuming them; returns the rows compared. */
async function compareBalances(client: PoolClient, schema: string, wallets: Map<string, FoldedWallet>, report: DriftCollector, pageSize: number): Promise<number> {
  let compared = 0;
  let after: string | null = null;
  for (;;) {
    // A plain `wallet_id > cursor` after the first page, so each page is an index range.
    const { rows }: { rows: ComparedRow[] } = await client.query<ComparedRow>(
      `select b.wallet_id, b.ledger, b.pending_debits, b.pending_credits, b.transaction_count, w.overdraft_limit, r.*
         from ${schema}.balances b
         left join ${schema}.wallets w on w.id = b.wallet_id
         cross join lateral (${rowSumsSql(schema)}) r
        ${after === null ? '' : 'where b.wallet_id > $2::uuid'}
        order by b.wallet_id limit $1`,
      after === null ? [pageSize] : [pageSize, after],
    );
    for (const row of rows) compareWallet(row, wallets.get(row.wallet_id), report);
    for (const row of rows) wallets.delete(row.wallet_id);
    compared += rows.length;
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!.wallet_id;
  }
  for (const walletId of wallets.keys()) report.add({ walletId, field: 'wallet', expected: 'present', actual: 'absent' });
  return compared;
}

/** The sums over the transaction rows, live and archived, of the wallet `b.wallet_id`. */
function rowSumsSql(schema: string): string {
  const columns = 'id, amount, held_amount, captured_amount, released_amount, reversed_amount, status, reversal_of, reference';
  return `select count(*) as transaction_rows, coalesce(sum(amount), 0) as amount, coalesce(sum(held_amount), 0) as held,
            coalesce(sum(captured_amount), 0) as captured, coalesce(sum(released_amount), 0) as released, coalesce(sum(reversed_amount), 0) as reversed,
            count(*) filter (where status = 'pending') as pending_rows, count(*) filter (where status = 'confirmed') as confirmed_rows,
            count(*) filter (where status = 'rejected') as rejected_rows, count(reversal_of) as reversal_rows,
            count(*) filter (where amount <> held_amount + captured_amount + released_amount or reversed_amount > captured_amount) as broken_rows,
            count(reference) as referenced_rows,
            coalesce(sum(('x' || substr(md5(id::text || ':' || reference), 1, 15))::bit(60)::bigint), 0) as reference_digest
       from (select ${columns} from ${schema}.transactions t where t.wallet_id = b.wallet_id
             union all
             select ${columns} from ${schema}.transactions_archive a where a.wallet_id = b.wallet_id) rows`;
}

function compareWallet(row: ComparedRow, folded: FoldedWallet | undefined, report: DriftCollector): void {
  const walletId = row.wallet_id;
  if (!folded) {
    report.add({ walletId, field: 'wallet', expected: 'absent', actual: 'present' });
    return;
  }
  const { totals, transactions } = folded;
  const limit = folded.overdraftLimit.toString();
  const storedLimit = row.overdraft_limit ?? 'unlimited';
  if (storedLimit !== limit) report.add({ walletId, field: 'overdraftLimit', expected: limit, actual: storedLimit });
  const expected: Record<Exclude<DriftField, 'wallet' | 'overdraftLimit'>, bigint> = {
    ledger: totals.ledgerMinor,
    pendingDebits: totals.pendingDebitsMinor,
    pendingCredits: totals.pendingCreditsMinor,
    transactionCount: folded.transactionCount,
    transactionRows: transactions.rows,
    amount: transactions.amount,
    heldAmount: transactions.held,
    capturedAmount: transactions.captured,
    releasedAmount: transactions.released,
    reversedAmount: transactions.reversed,
    pendingRows: transactions.pending,
    confirmedRows: transactions.confirmed,
    rejectedRows: transactions.rejected,
    reversalRows: transactions.reversals,
    brokenRows: 0n,
    referencedRows: folded.referencedRows,
    referenceDigest: folded.referenceDigest,
  };
  const actual: Record<keyof typeof expected, string> = {
    ledger: row.ledger,
    pendingDebits: row.pending_debits,
    pendingCredits: row.pending_credits,
    transactionCount: row.transaction_count,
    transactionRows: row.transaction_rows,
    amount: row.amount,
    heldAmount: row.held,
    capturedAmount: row.captured,
    releasedAmount: row.released,
    reversedAmount: row.reversed,
    pendingRows: row.pending_rows,
    confirmedRows: row.confirmed_rows,
    rejectedRows: row.rejected_rows,
    reversalRows: row.reversal_rows,
    brokenRows: row.broken_rows,
    referencedRows: row.referenced_rows,
    referenceDigest: row.reference_digest,
  };
  for (const field of Object.keys(expected) as Array<keyof typeof expected>) {
    if (BigInt(actual[field]) !== expected[field]) report.add({ walletId, field, expected: expected[field].toString(), actual: actual[field] });
  }
}

class DriftCollector {
  readonly drifts: WalletDrift[] = [];
  readonly totalsDrifts: TotalsDrift[] = [];
  readonly groupDrifts: GroupDrift[] = [];
  count = 0;

  constructor(private readonly max: number) {}

  add(drift: WalletDrift): void {
    this.count += 1;
    if (this.drifts.length < this.max) this.drifts.push(drift);
  }

  addTotals(drift: TotalsDrift): void {
    this.count += 1;
    if (this.totalsDrifts.length < this.max) this.totalsDrifts.push(drift);
  }

  addGroup(drift: GroupDrift): void {
    this.count += 1;
    if (this.groupDrifts.length < this.max) this.groupDrifts.push(drift);
  }
}

import type { WalletEvent } from '@wallet/domain';
import type { PoolClient } from 'pg';
import { type CurrencyTotals, foldCurrencyTotals, zeroCurrencyTotals } from '../replay/currency-totals-fold';

/** `totals`: a currency's row present on one side only; the others compare a sum. */
export type TotalsDriftField = 'totals' | 'wallets' | 'ledger' | 'pendingDebits' | 'pendingCredits';

export interface TotalsDrift {
  readonly currency: string;
  /** `current`: the currency_totals row, as of the checkpoint; `history`: the currency's latest history row. */
  readonly row: 'current' | 'history';
  /** The position the sums are compared at: the checkpoint, or the history row's. */
  readonly position: bigint;
  readonly field: TotalsDriftField;
  /** Folded from the event log ('present' or 'absent' for `totals`). */
  readonly expected: string;
  /** Found in the read model. */
  readonly actual: string;
}

interface TotalsDbRow {
  currency: string;
  position: string;
  wallets: string;
  ledger: string;
  pending_debits: string;
  pending_credits: string;
}

/** A totals row of the read model: the current one or the latest of the history. */
interface StoredTotals extends CurrencyTotals {
  readonly position: bigint;
}

const toStored = (row: TotalsDbRow): StoredTotals => ({
  position: BigInt(row.position),
  wallets: BigInt(row.wallets),
  ledgerMinor: BigInt(row.ledger),
  pendingDebitsMinor: BigInt(row.pending_debits),
  pendingCreditsMinor: BigInt(row.pending_credits),
});

/**
 * Checks every currency's totals, current and latest history row, against its own fold of
 * the log: the read model's rows are read first (in the check's snapshot), then the log is
 * folded once, the sums of each currency taken as they stand at its history row's position.
 */
export class CurrencyTotalsCheck {
  private readonly running = new Map<string, CurrencyTotals>();
  /** Each currency's sums at its latest history row, once the fold has passed that position. */
  private readonly atHistory = new Map<string, CurrencyTotals>();
  /** The history rows still to pass, latest position last. */
  private readonly pending: Array<readonly [string, bigint]>;

  private constructor(
    private readonly current: ReadonlyMap<string, StoredTotals>,
    private readonly history: ReadonlyMap<string, StoredTotals>,
  ) {
    this.pending = [...history].map(([currency, row]) => [currency, row.position] as const).sort(([, a], [, b]) => (a < b ? 1 : a > b ? -1 : 0));
  }

  static async read(client: PoolClient, schema: string): Promise<CurrencyTotalsCheck> {
    const [current, history] = await Promise.all([
      client.query<TotalsDbRow>(`select currency, position, wallets, ledger, pending_debits, pending_credits from ${schema}.currency_totals`),
      client.query<TotalsDbRow>(
        `select distinct on (currency) currency, position, wallets, ledger, pending_debits, pending_credits
           from ${schema}.currency_totals_history order by currency, position desc`,
      ),
    ]);
    const byCurrency = (rows: TotalsDbRow[]) => new Map(rows.map((row) => [row.currency, toStored(row)]));
    return new CurrencyTotalsCheck(byCurrency(current.rows), byCurrency(history.rows));
  }

  /** Folds the event at `position` of a wallet of `currency`, after taking the sums of the history rows before it. */
  apply(position: bigint, currency: string, event: WalletEvent): void {
    this.passHistoryBefore(position);
    this.running.set(currency, foldCurrencyTotals(this.running.get(currency) ?? zeroCurrencyTotals, event));
  }

  /** After the fold up to `checkpoint`: every difference between the read model's totals and the fold's. */
  drifts(checkpoint: bigint): TotalsDrift[] {
    this.passHistoryBefore(checkpoint + 1n);
    const drifts: TotalsDrift[] = [];
    for (const currency of this.currencies()) {
      drifts.push(...compared(currency, 'current', checkpoint, this.running.get(currency), this.current.get(currency)));
      const stored = this.history.get(currency);
      drifts.push(...compared(currency, 'history', stored?.position ?? checkpoint, stored ? this.atHistory.get(currency) : this.running.get(currency), stored));
    }
    return drifts;
  }

  /** Every currency of the log or of the read model's totals. */
  currencies(): Set<string> {
    return new Set([...this.running.keys(), ...this.current.keys(), ...this.history.keys()]);
  }

  private passHistoryBefore(position: bigint): void {
    while (this.pending.length > 0 && this.pending[this.pending.length - 1]![1] < position) {
      const [currency] = this.pending.pop()!;
      this.atHistory.set(currency, this.running.get(currency) ?? zeroCurrencyTotals);
    }
  }
}

/** A currency with no wallet in the log has no totals row; one with wallets has both. */
function compared(currency: string, row: TotalsDrift['row'], position: bigint, folded: CurrencyTotals | undefined, stored: StoredTotals | undefined): TotalsDrift[] {
  if (!folded || !stored) {
    return folded === stored ? [] : [{ currency, row, position, field: 'totals', expected: folded ? 'present' : 'absent', actual: stored ? 'present' : 'absent' }];
  }
  const fields: Array<readonly [TotalsDriftField, bigint, bigint]> = [
    ['wallets', folded.wallets, stored.wallets],
    ['ledger', folded.ledgerMinor, stored.ledgerMinor],
    ['pendingDebits', folded.pendingDebitsMinor, stored.pendingDebitsMinor],
    ['pendingCredits', folded.pendingCreditsMinor, stored.pendingCreditsMinor],
  ];
  return fields.filter(([, expected, actual]) => expected !== actual).map(([field, expected, actual]) => ({ currency, row, position, field, expected: expected.toString(), actual: actual.toString() }));
}

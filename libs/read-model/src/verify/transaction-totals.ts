import { type TransactionStatus, type WalletEvent, endedStatus, recordedTransaction, transactionChangeOf } from '@wallet/domain';

/**
 * A wallet's transaction rows added up, column by column: what `verify` compares, wallet by
 * wallet, with the rows (live and archived) of the read model. One change to any amount or
 * status of any row shows in these sums, and they fold from the log with one small entry per
 * wallet instead of one per transaction.
 */
export interface TransactionTotals extends Record<TransactionStatus, bigint> {
  rows: bigint;
  amount: bigint;
  held: bigint;
  captured: bigint;
  released: bigint;
  reversed: bigint;
  reversals: bigint;
}

export const zeroTotals = (): TransactionTotals => ({
  rows: 0n,
  amount: 0n,
  held: 0n,
  captured: 0n,
  released: 0n,
  reversed: 0n,
  pending: 0n,
  confirmed: 0n,
  rejected: 0n,
  reversals: 0n,
});

/**
 * Folds wallet events into their wallets' transaction totals by the domain's own rules
 * (recordedTransaction, transactionChangeOf, endedStatus). An ended hold's status depends on
 * all it captured, so the captured amount of each hold still open is kept until it ends.
 */
export class TransactionTotalsFold {
  private readonly openHolds = new Map<string, bigint>();

  apply(totals: TransactionTotals, event: WalletEvent): void {
    if (event.type === 'FundsCredited' || event.type === 'FundsDebited' || event.type === 'HoldPlaced' || event.type === 'TransactionReversed') {
      const recorded = recordedTransaction(event);
      totals.rows += 1n;
      totals.amount += recorded.amountMinor;
      totals.held += recorded.heldMinor;
      totals.captured += recorded.capturedMinor;
      totals[recorded.status] += 1n;
      if (recorded.reversalOf !== null) totals.reversals += 1n;
      if (recorded.status === 'pending') this.openHolds.set(recorded.transactionId, 0n);
    }
    const change = transactionChangeOf(event);
    if (!change) return;
    totals.amount += change.amountMinor;
    totals.held += change.heldMinor;
    totals.captured += change.capturedMinor;
    totals.released += change.releasedMinor;
    totals.reversed += change.reversedMinor;
    const captured = this.openHolds.get(change.transactionId);
    if (captured === undefined) return;
    if (!change.ended) {
      this.openHolds.set(change.transactionId, captured + change.capturedMinor);
      return;
    }
    this.openHolds.delete(change.transactionId);
    totals.pending -= 1n;
    totals[endedStatus(captured + change.capturedMinor)] += 1n;
  }
}

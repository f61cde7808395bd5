import type { SnapshotRecord } from '@wallet/read-model';

/** A balance snapshot on the wire: ids, positions, money and counts as strings. */
export interface SnapshotView {
  id: string;
  walletId: string;
  position: string;
  snapshotDate: string;
  ledger: string;
  pendingDebits: string;
  pendingCredits: string;
  transactionCount: string;
  isLedgerEntry: boolean;
}

export function presentSnapshot(snapshot: SnapshotRecord): SnapshotView {
  return {
    id: snapshot.id,
    walletId: snapshot.walletId,
    position: snapshot.position.toString(),
    snapshotDate: snapshot.snapshotDate,
    ledger: snapshot.ledgerMinor.toString(),
    pendingDebits: snapshot.pendingDebitsMinor.toString(),
    pendingCredits: snapshot.pendingCreditsMinor.toString(),
    transactionCount: snapshot.transactionCount.toString(),
    isLedgerEntry: snapshot.isLedgerEntry,
  };
}

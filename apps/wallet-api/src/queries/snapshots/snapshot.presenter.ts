import { z } from 'zod';
import { apiSchemas, countOut, idOut, minorOut, pageSchema, positionOut, timestampOut } from '../../http/api-schemas';
import type { SnapshotRecord } from '@wallet/read-model';

/** A balance snapshot on the wire: ids, positions, money and counts as strings. */
export const snapshotSchema = z
  .strictObject({
    id: idOut,
    walletId: idOut,
    position: positionOut,
    snapshotDate: timestampOut,
    ledger: minorOut,
    pendingDebits: minorOut,
    pendingCredits: minorOut,
    transactionCount: countOut,
    isLedgerEntry: z.boolean(),
  })
  .register(apiSchemas, { id: 'Snapshot' });

export const snapshotPageSchema = pageSchema(snapshotSchema, 'SnapshotPage');

export type SnapshotView = z.infer<typeof snapshotSchema>;

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

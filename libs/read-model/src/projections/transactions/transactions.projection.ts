import { type FundsCredited, type FundsDebited, type HoldConfirmed, type HoldPlaced, type HoldRejected, assertNever, occurredAt } from '@wallet/domain';
import type { BatchStatement } from '../../projector/batch-statement';
import type { ProjectedEvent, Projection, ProjectionBatch } from '../../projector/projection';
import { type Settlement, type TransactionRow, settledRow, settlementOf, transactionRow } from './transaction-rows';

type TransactionEvent = FundsCredited | FundsDebited | HoldPlaced | HoldConfirmed | HoldRejected;

/** A hold placed in an earlier batch, settled in this one: an update of its pending row. */
interface SettlementChange extends Settlement {
  readonly transactionId: string;
  readonly position: bigint;
}

class TransactionsBatch implements ProjectionBatch<TransactionEvent> {
  private readonly recorded = new Map<string, TransactionRow>();
  private readonly settlements = new Map<string, SettlementChange>();

  fold({ event, position }: ProjectedEvent<TransactionEvent>): void {
    switch (event.type) {
      case 'FundsCredited':
      case 'FundsDebited':
      case 'HoldPlaced':
        this.recorded.set(event.data.transactionId, transactionRow(event, position));
        return;
      case 'HoldConfirmed':
      case 'HoldRejected': {
        const settlement = settlementOf(event);
        const id = event.data.transactionId;
        const inBatch = this.recorded.get(id);
        if (inBatch) this.recorded.set(id, settledRow(inBatch, settlement, position, occurredAt(event)));
        else this.settlements.set(id, { status: settlement.status, confirmRejectTimestamp: settlement.confirmRejectTimestamp, rejectReason: settlement.rejectReason, transactionId: id, position });
        return;
      }
      default:
        assertNever(event);
    }
  }

  write(statement: BatchStatement): void {
    const { schema, params: p } = statement;
    const rows = [...this.recorded.values()];
    const settlements = [...this.settlements.values()];
    if (rows.length > 0) {
      statement.add('new_transactions', `insert into ${schema}.transactions (id, wallet_id, type, amount, status, description, metadata, group_id, hold_timestamp,
         confirm_reject_timestamp, reject_reason, expires_at, position, created_position, created_at, updated_at)
       select * from unnest(${p.uuid(rows, (t) => t.transactionId)}, ${p.uuid(rows, (t) => t.walletId)}, ${p.text(rows, (t) => t.transactionType)},
         ${p.int8(rows, (t) => t.amountMinor)}, ${p.text(rows, (t) => t.status)}, ${p.text(rows, (t) => t.description)},
         ${p.jsonb(rows, (t) => t.metadata)}, ${p.uuid(rows, (t) => t.groupId)}, ${p.timestamptz(rows, (t) => t.holdTimestamp)},
         ${p.timestamptz(rows, (t) => t.confirmRejectTimestamp)}, ${p.text(rows, (t) => t.rejectReason)}, ${p.timestamptz(rows, (t) => t.expiresAt)},
         ${p.int8(rows, (t) => t.position)}, ${p.int8(rows, (t) => t.createdPosition)}, ${p.timestamptz(rows, (t) => t.createdAt)},
         ${p.timestamptz(rows, (t) => t.updatedAt)})`);
    }
    if (settlements.length === 0) return;
    // A settlement always finds its pending row: only final transactions are ever archived.
    const sql = `update ${schema}.transactions t set status = u.status, confirm_reject_timestamp = u.at, reject_reason = u.reason, position = u.position, updated_at = u.at
         from unnest(${p.uuid(settlements, (s) => s.transactionId)}, ${p.text(settlements, (s) => s.status)}, ${p.timestamptz(settlements, (s) => s.confirmRejectTimestamp)},
           ${p.text(settlements, (s) => s.rejectReason)}, ${p.int8(settlements, (s) => s.position)}) as u(id, status, at, reason, position)
        where t.id = u.id and t.status = 'pending'
       returning 1`;
    statement.addCounted('settled', sql, settlements.length, (count) => `Settled ${count} of ${settlements.length} pending transactions: the read model has drifted.`);
  }
}

/** `transactions`: a row per credit, debit or hold, settled in place when a hold is confirmed or rejected. */
export const transactionsProjection: Projection<TransactionEvent> = {
  name: 'transactions',
  handles: ['FundsCredited', 'FundsDebited', 'HoldPlaced', 'HoldConfirmed', 'HoldRejected'],
  begin: () => new TransactionsBatch(),
};

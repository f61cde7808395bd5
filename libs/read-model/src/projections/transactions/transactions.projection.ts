import {
  type HoldCaptured,
  type HoldConfirmed,
  type HoldIncreased,
  type HoldRejected,
  type TransactionChange,
  type TransactionRecording,
  assertNever,
  transactionChangeOf,
} from '@wallet/domain';
import type { BatchStatement } from '../../projector/batch-statement';
import type { ProjectedEvent, Projection, ProjectionBatch } from '../../projector/projection';
import { type RowDelta, type TransactionRow, addedDelta, changedRow, transactionRow } from './transaction-rows';

type TransactionEvent = TransactionRecording | HoldIncreased | HoldCaptured | HoldConfirmed | HoldRejected;

/**
 * Rows recorded in the batch are changed in memory and inserted as they end the batch; rows
 * of earlier batches get the batch's changes added up into one delta each, applied in one
 * set-based update.
 */
class TransactionsBatch implements ProjectionBatch<TransactionEvent> {
  private readonly recorded = new Map<string, TransactionRow>();
  private readonly deltas = new Map<string, RowDelta>();
  /** The rows of earlier batches that an increase, capture, confirm or reject of the batch changes: not only reversals. */
  private readonly holdChanged = new Set<string>();

  fold({ event, position }: ProjectedEvent<TransactionEvent>): void {
    switch (event.type) {
      case 'FundsCredited':
      case 'FundsDebited':
      case 'HoldPlaced':
        this.recorded.set(event.data.transactionId, transactionRow(event, position));
        return;
      case 'TransactionReversed':
        // A new transaction, and a change to the original's reversed amount.
        this.recorded.set(event.data.transactionId, transactionRow(event, position));
        this.change(transactionChangeOf(event)!, position, false);
        return;
      case 'HoldIncreased':
      case 'HoldCaptured':
      case 'HoldConfirmed':
      case 'HoldRejected':
        this.change(transactionChangeOf(event)!, position, true);
        return;
      default:
        assertNever(event);
    }
  }

  private change(change: TransactionChange, position: bigint, ofHold: boolean): void {
    const id = change.transactionId;
    const inBatch = this.recorded.get(id);
    if (inBatch) {
      this.recorded.set(id, changedRow(inBatch, change, position));
      return;
    }
    this.deltas.set(id, addedDelta(this.deltas.get(id), change, position));
    if (ofHold) this.holdChanged.add(id);
  }

  write(statement: BatchStatement): void {
    const { schema, params: p } = statement;
    const rows = [...this.recorded.values()];
    if (rows.length > 0) {
      statement.add('new_transactions', `insert into ${schema}.transactions (id, wallet_id, type, amount, held_amount, captured_amount, released_amount, reversed_amount,
         reversal_of, status, description, metadata, group_id, hold_timestamp, confirm_reject_timestamp, reject_reason, expires_at, position, created_position,
         created_at, updated_at, reference)
       select * from unnest(${p.uuid(rows, (t) => t.transactionId)}, ${p.uuid(rows, (t) => t.walletId)}, ${p.text(rows, (t) => t.transactionType)},
         ${p.int8(rows, (t) => t.amountMinor)}, ${p.int8(rows, (t) => t.heldMinor)}, ${p.int8(rows, (t) => t.capturedMinor)}, ${p.int8(rows, (t) => t.releasedMinor)},
         ${p.int8(rows, (t) => t.reversedMinor)}, ${p.uuid(rows, (t) => t.reversalOf)}, ${p.text(rows, (t) => t.status)}, ${p.text(rows, (t) => t.description)},
         ${p.jsonb(rows, (t) => t.metadata)}, ${p.uuid(rows, (t) => t.groupId)}, ${p.timestamptz(rows, (t) => t.holdTimestamp)},
         ${p.timestamptz(rows, (t) => t.confirmRejectTimestamp)}, ${p.text(rows, (t) => t.rejectReason)}, ${p.timestamptz(rows, (t) => t.expiresAt)},
         ${p.int8(rows, (t) => t.position)}, ${p.int8(rows, (t) => t.createdPosition)}, ${p.timestamptz(rows, (t) => t.createdAt)},
         ${p.timestamptz(rows, (t) => t.updatedAt)}, ${p.text(rows, (t) => t.reference)})`);
    }
    if (this.deltas.size > 0) this.writeDeltas(statement, [...this.deltas.values()]);
  }

  /**
   * Applies the deltas to the rows of earlier batches wherever they are: a reversal may give
   * back part of a transaction the archive already moved, so the archive row changes then.
   * Every delta must find its row in exactly one of the two tables, with the status its
   * events require, else the read model has drifted: a delta with an increase, capture,
   * confirm or reject (a reversal in the same batch or not) needs its row pending, as the
   * domain changes only a live hold; a delta of reversals only needs its row confirmed, as
   * the domain reverses only a confirmed transaction. The status is required by the delta's
   * kind of events, not by its amounts, which may add up to nothing (a capture of nothing).
   * A delta has an end time only when one of its events ended the hold, which is then
   * confirmed when anything of it was captured, as the domain's endedStatus says, and
   * rejected otherwise.
   */
  private writeDeltas(statement: BatchStatement, deltas: RowDelta[]): void {
    const { schema, params: p } = statement;
    const values = `unnest(${p.uuid(deltas, (d) => d.transactionId)}, ${p.int8(deltas, (d) => d.amountMinor)}, ${p.int8(deltas, (d) => d.heldMinor)},
         ${p.int8(deltas, (d) => d.capturedMinor)}, ${p.int8(deltas, (d) => d.releasedMinor)}, ${p.int8(deltas, (d) => d.reversedMinor)},
         ${p.timestamptz(deltas, (d) => d.ended?.at ?? null)}, ${p.text(deltas, (d) => d.ended?.rejectReason ?? null)},
         ${p.int8(deltas, (d) => d.position)}, ${p.timestamptz(deltas, (d) => d.updatedAt)},
         ${p.text(deltas, (d) => (this.holdChanged.has(d.transactionId) ? 'pending' : 'confirmed'))})
       as d(id, amount, held, captured, released, reversed, ended_at, reject_reason, position, updated_at, status_before)`;
    const update = (table: string, only = ''): string => `update ${schema}.${table} t
         set amount = t.amount + d.amount, held_amount = t.held_amount + d.held, captured_amount = t.captured_amount + d.captured,
             released_amount = t.released_amount + d.released, reversed_amount = t.reversed_amount + d.reversed,
             status = case when d.ended_at is not null then (case when t.captured_amount + d.captured > 0 then 'confirmed' else 'rejected' end) else t.status end,
             confirm_reject_timestamp = case when d.ended_at is not null then d.ended_at else t.confirm_reject_timestamp end,
             reject_reason = case when d.ended_at is not null then d.reject_reason else t.reject_reason end,
             position = d.position, updated_at = d.updated_at
        from ${values}
       where t.id = d.id and t.status = d.status_before${only}
      returning 1`;
    statement.add('changed_live', update('transactions'));
    // Only a reversal can find its row archived (pending holds never move), so only they look there;
    // a delta with a hold's change too needs a pending row, which the archive never has.
    statement.add('changed_archived', update('transactions_archive', ' and d.reversed <> 0'));
    statement.addCounted(
      'changed',
      'select 1 from changed_live union all select 1 from changed_archived',
      deltas.length,
      (count) => `Changed ${count} of ${deltas.length} earlier transactions: the read model has drifted.`,
    );
  }
}

/**
 * `transactions`: a row per credit, debit, hold or reversal, changed in place as a hold is
 * increased, captured, confirmed or rejected, and as a transaction is reversed.
 */
export const transactionsProjection: Projection<TransactionEvent> = {
  name: 'transactions',
  handles: ['FundsCredited', 'FundsDebited', 'HoldPlaced', 'TransactionReversed', 'HoldIncreased', 'HoldCaptured', 'HoldConfirmed', 'HoldRejected'],
  begin: () => new TransactionsBatch(),
};

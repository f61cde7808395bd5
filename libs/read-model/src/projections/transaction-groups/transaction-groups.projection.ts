import { type GroupEvent, GROUP_EVENT_TYPES, assertNever } from '@wallet/domain';
import type { BatchStatement } from '../../projector/batch-statement';
import type { ProjectedEvent, Projection, ProjectionBatch } from '../../projector/projection';

interface GroupRow {
  readonly id: string;
  readonly status: 'pending' | 'completed' | 'rejected';
  readonly description: string | null;
  readonly metadata: Record<string, unknown>;
  readonly legs: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly expiresAt: string | null;
  readonly rejectReason: string | null;
  readonly reversalOf: string | null;
  readonly reversedBy: string | null;
  readonly reference: string | null;
  readonly position: bigint;
}

/** What the events after a group's recording change on its row: its settlement, or the group that reversed it. */
interface GroupChange {
  readonly id: string;
  readonly status?: 'completed' | 'rejected';
  readonly rejectReason?: string | null;
  readonly reversedBy?: string;
  readonly updatedAt: string;
  readonly position: bigint;
}

/**
 * A batch's group events as rows: a group settled or reversed in its own batch is written
 * that way, and the changes a batch makes to a group of an earlier batch are merged into one.
 */
class TransactionGroupsBatch implements ProjectionBatch<GroupEvent> {
  private readonly created = new Map<string, GroupRow>();
  private readonly changed = new Map<string, GroupChange>();

  fold({ event, position }: ProjectedEvent<GroupEvent>): void {
    if (event.type === 'TransactionGroupRecorded') {
      const { groupId, pending, description, metadata, legs, recordedAt, expiresAt, reversalOf, reference } = event.data;
      const legIds = legs.map((leg) => leg.transactionId);
      const status = pending ? 'pending' : 'completed';
      this.created.set(groupId, {
        id: groupId,
        status,
        description,
        metadata: { ...metadata },
        legs: legIds,
        createdAt: recordedAt,
        updatedAt: recordedAt,
        expiresAt,
        rejectReason: null,
        reversalOf: reversalOf ?? null,
        reversedBy: null,
        reference: reference ?? null,
        position,
      });
      return;
    }
    const change = changeOf(event, position);
    const created = this.created.get(change.id);
    if (created) this.created.set(change.id, { ...created, ...change });
    else this.changed.set(change.id, { ...this.changed.get(change.id), ...change });
  }

  write(statement: BatchStatement): void {
    const { schema, params: p } = statement;
    const rows = [...this.created.values()];
    const updates = [...this.changed.values()];
    if (rows.length > 0) {
      statement.add('new_groups', `insert into ${schema}.transaction_groups (id, status, description, metadata, legs, created_at, updated_at, expires_at, reject_reason,
         reversal_of, reversed_by, reference, position)
       select * from unnest(${p.uuid(rows, (r) => r.id)}, ${p.text(rows, (r) => r.status)}, ${p.text(rows, (r) => r.description)}, ${p.jsonb(rows, (r) => r.metadata)},
         ${p.jsonb(rows, (r) => r.legs)}, ${p.timestamptz(rows, (r) => r.createdAt)}, ${p.timestamptz(rows, (r) => r.updatedAt)}, ${p.timestamptz(rows, (r) => r.expiresAt)},
         ${p.text(rows, (r) => r.rejectReason)}, ${p.uuid(rows, (r) => r.reversalOf)}, ${p.uuid(rows, (r) => r.reversedBy)}, ${p.text(rows, (r) => r.reference)},
         ${p.int8(rows, (r) => r.position)})`);
    }
    if (updates.length === 0) return;
    // Only a pending group settles, and a group is reversed once: anything else is drift.
    const sql = `update ${schema}.transaction_groups g
         set status = coalesce(u.status, g.status), reject_reason = case when u.status is null then g.reject_reason else u.reason end,
             reversed_by = coalesce(u.reversed_by, g.reversed_by), updated_at = u.updated_at, position = u.position
       from unnest(${p.uuid(updates, (u) => u.id)}, ${p.text(updates, (u) => u.status ?? null)}, ${p.text(updates, (u) => u.rejectReason ?? null)},
         ${p.uuid(updates, (u) => u.reversedBy ?? null)}, ${p.timestamptz(updates, (u) => u.updatedAt)}, ${p.int8(updates, (u) => u.position)})
         as u(id, status, reason, reversed_by, updated_at, position)
      where g.id = u.id and (u.status is null or g.status = 'pending') and (u.reversed_by is null or g.reversed_by is null)
      returning 1`;
    statement.addCounted('changed_groups', sql, updates.length, (count) => `Changed ${count} of ${updates.length} earlier groups: the read model has drifted.`);
  }
}

function changeOf(event: Exclude<GroupEvent, { type: 'TransactionGroupRecorded' }>, position: bigint): GroupChange {
  switch (event.type) {
    case 'TransactionGroupConfirmed':
      return { id: event.data.groupId, status: 'completed', rejectReason: null, updatedAt: event.data.confirmedAt, position };
    case 'TransactionGroupRejected':
      return { id: event.data.groupId, status: 'rejected', rejectReason: event.data.reason, updatedAt: event.data.rejectedAt, position };
    case 'TransactionGroupReversed':
      return { id: event.data.groupId, reversedBy: event.data.reversedBy, updatedAt: event.data.reversedAt, position };
    default:
      return assertNever(event);
  }
}

/**
 * `transaction_groups`: a row per group of legs, settled in place when the group is
 * confirmed or rejected, and marked with the group that reversed it.
 */
export const transactionGroupsProjection: Projection<GroupEvent> = {
  name: 'transaction-groups',
  handles: GROUP_EVENT_TYPES,
  begin: () => new TransactionGroupsBatch(),
};

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
  readonly position: bigint;
}

interface GroupSettlementRow {
  readonly id: string;
  readonly status: 'completed' | 'rejected';
  readonly rejectReason: string | null;
  readonly updatedAt: string;
  readonly position: bigint;
}

/** A batch's group events as rows; a group settled in its own batch is written settled. */
class TransactionGroupsBatch implements ProjectionBatch<GroupEvent> {
  private readonly created = new Map<string, GroupRow>();
  private readonly settled = new Map<string, GroupSettlementRow>();

  fold({ event, position }: ProjectedEvent<GroupEvent>): void {
    if (event.type === 'TransactionGroupRecorded') {
      const { groupId, pending, description, metadata, legs, recordedAt, expiresAt } = event.data;
      const legIds = legs.map((leg) => leg.transactionId);
      const status = pending ? 'pending' : 'completed';
      this.created.set(groupId, { id: groupId, status, description, metadata: { ...metadata }, legs: legIds, createdAt: recordedAt, updatedAt: recordedAt, expiresAt, rejectReason: null, position });
      return;
    }
    // Reversals are not projected yet: the read model of groups gains reversedBy with its own migration.
    if (event.type === 'TransactionGroupReversed') return;
    const settlement = settlementOf(event, position);
    const created = this.created.get(settlement.id);
    if (created) this.created.set(settlement.id, { ...created, ...settlement });
    else this.settled.set(settlement.id, settlement);
  }

  write(statement: BatchStatement): void {
    const { schema, params: p } = statement;
    const rows = [...this.created.values()];
    const updates = [...this.settled.values()];
    if (rows.length > 0) {
      statement.add('new_groups', `insert into ${schema}.transaction_groups (id, status, description, metadata, legs, created_at, updated_at, expires_at, reject_reason, position)
       select * from unnest(${p.uuid(rows, (r) => r.id)}, ${p.text(rows, (r) => r.status)}, ${p.text(rows, (r) => r.description)}, ${p.jsonb(rows, (r) => r.metadata)},
         ${p.jsonb(rows, (r) => r.legs)}, ${p.timestamptz(rows, (r) => r.createdAt)}, ${p.timestamptz(rows, (r) => r.updatedAt)}, ${p.timestamptz(rows, (r) => r.expiresAt)},
         ${p.text(rows, (r) => r.rejectReason)}, ${p.int8(rows, (r) => r.position)})`);
    }
    if (updates.length === 0) return;
    const sql = `update ${schema}.transaction_groups g set status = u.status, reject_reason = u.reason, updated_at = u.updated_at, position = u.position
       from unnest(${p.uuid(updates, (u) => u.id)}, ${p.text(updates, (u) => u.status)}, ${p.text(updates, (u) => u.rejectReason)},
         ${p.timestamptz(updates, (u) => u.updatedAt)}, ${p.int8(updates, (u) => u.position)}) as u(id, status, reason, updated_at, position)
      where g.id = u.id and g.status = 'pending'
      returning 1`;
    statement.addCounted('settled_groups', sql, updates.length, (count) => `Settled ${count} of ${updates.length} pending groups: the read model has drifted.`);
  }
}

function settlementOf(event: Exclude<GroupEvent, { type: 'TransactionGroupRecorded' | 'TransactionGroupReversed' }>, position: bigint): GroupSettlementRow {
  switch (event.type) {
    case 'TransactionGroupConfirmed':
      return { id: event.data.groupId, status: 'completed', rejectReason: null, updatedAt: event.data.confirmedAt, position };
    case 'TransactionGroupRejected':
      return { id: event.data.groupId, status: 'rejected', rejectReason: event.data.reason, updatedAt: event.data.rejectedAt, position };
    default:
      return assertNever(event);
  }
}

/** `transaction_groups`: a row per group of legs, settled in place when the group is confirmed or rejected. */
export const transactionGroupsProjection: Projection<GroupEvent> = {
  name: 'transaction-groups',
  handles: GROUP_EVENT_TYPES,
  begin: () => new TransactionGroupsBatch(),
};

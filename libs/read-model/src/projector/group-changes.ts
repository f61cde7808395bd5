import { type GroupEvent, assertNever } from '@wallet/domain';
import type { PoolClient } from 'pg';

export interface ProjectedGroupEvent {
  readonly position: bigint;
  readonly event: GroupEvent;
}

export interface GroupRow {
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

export interface GroupSettlementRow {
  readonly id: string;
  readonly status: 'completed' | 'rejected';
  readonly rejectReason: string | null;
  readonly updatedAt: string;
  readonly position: bigint;
}

export interface GroupChanges {
  readonly created: Map<string, GroupRow>;
  readonly settled: Map<string, GroupSettlementRow>;
}

/** Folds a batch's group events into rows; a group settled in its own batch is written settled. */
export function buildGroupChanges(events: readonly ProjectedGroupEvent[]): GroupChanges {
  const changes: GroupChanges = { created: new Map(), settled: new Map() };
  for (const { event, position } of events) {
    if (event.type === 'TransactionGroupRecorded') {
      const { groupId, pending, description, metadata, legs, recordedAt, expiresAt } = event.data;
      const legIds = legs.map((leg) => leg.transactionId);
      const status = pending ? 'pending' : 'completed';
      changes.created.set(groupId, { id: groupId, status, description, metadata: { ...metadata }, legs: legIds, createdAt: recordedAt, updatedAt: recordedAt, expiresAt, rejectReason: null, position });
      continue;
    }
    const settlement = settlementOf(event, position);
    const created = changes.created.get(settlement.id);
    if (created) changes.created.set(settlement.id, { ...created, ...settlement });
    else changes.settled.set(settlement.id, settlement);
  }
  return changes;
}

function settlementOf(event: Exclude<GroupEvent, { type: 'TransactionGroupRecorded' }>, position: bigint): GroupSettlementRow {
  switch (event.type) {
    case 'TransactionGroupConfirmed':
      return { id: event.data.groupId, status: 'completed', rejectReason: null, updatedAt: event.data.confirmedAt, position };
    case 'TransactionGroupRejected':
      return { id: event.data.groupId, status: 'rejected', rejectReason: event.data.reason, updatedAt: event.data.rejectedAt, position };
    default:
      return assertNever(event);
  }
}

export async function writeGroupChanges(client: PoolClient, schema: string, { created, settled }: GroupChanges): Promise<void> {
  const rows = [...created.values()];
  if (rows.length > 0) {
    await client.query(
      `insert into ${schema}.transaction_groups (id, status, description, metadata, legs, created_at, updated_at, expires_at, reject_reason, position)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::text[], $10::bigint[])`,
      [rows.map((r) => r.id), rows.map((r) => r.status), rows.map((r) => r.description), rows.map((r) => JSON.stringify(r.metadata)), rows.map((r) => JSON.stringify(r.legs)),
        rows.map((r) => r.createdAt), rows.map((r) => r.updatedAt), rows.map((r) => r.expiresAt), rows.map((r) => r.rejectReason), rows.map((r) => r.position.toString())],
    );
  }
  const updates = [...settled.values()];
  if (updates.length === 0) return;
  const { rowCount } = await client.query(
    `update ${schema}.transaction_groups g set status = u.status, reject_reason = u.reason, updated_at = u.updated_at, position = u.position
       from unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::bigint[]) as u(id, status, reason, updated_at, position)
      where g.id = u.id and g.status = 'pending'`,
    [updates.map((u) => u.id), updates.map((u) => u.status), updates.map((u) => u.rejectReason), updates.map((u) => u.updatedAt), updates.map((u) => u.position.toString())],
  );
  if (rowCount !== updates.length) throw new Error(`Settled ${rowCount} of ${updates.length} pending groups: the read model has drifted.`);
}

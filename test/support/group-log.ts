import {
  type GroupEvent,
  type TransactionGroupRecorded,
  type WalletEvent,
  decodeGroupEvent,
  decodeWalletEvent,
  isGroupStream,
  isWalletStream,
} from '@wallet/domain';
import type { Pool } from 'pg';

/**
 * The event log as PostgreSQL holds it, with the transaction that appended each event
 * (`event_store.events.transaction_id`): the events of one atomic append share it, so it
 * shows which groups were appended together and that each group's events were appended at
 * once.
 */
export interface LoggedEvent {
  readonly position: bigint;
  readonly stream: string;
  readonly transactionId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
}

export type DecodedEvent = { readonly kind: 'wallet'; readonly event: WalletEvent } | { readonly kind: 'group'; readonly event: GroupEvent } | { readonly kind: 'other' };

export async function readLog(pool: Pool): Promise<LoggedEvent[]> {
  const { rows } = await pool.query<{ position: string; stream: string; transaction_id: string; type: string; schema_version: number; data: Record<string, unknown> }>(
    // Ordered by the column, not by its text: position 10 comes after 9.
    'select position::text, stream, transaction_id::text, type, schema_version, data from event_store.events order by events.position',
  );
  return rows.map((row) => ({ position: BigInt(row.position), stream: row.stream, transactionId: row.transaction_id, type: row.type, schemaVersion: row.schema_version, data: row.data }));
}

export function decodeLogged(logged: LoggedEvent): DecodedEvent {
  const encoded = { type: logged.type, schemaVersion: logged.schemaVersion, data: logged.data };
  if (isWalletStream(logged.stream)) return { kind: 'wallet', event: decodeWalletEvent(encoded) };
  if (isGroupStream(logged.stream)) return { kind: 'group', event: decodeGroupEvent(encoded) };
  return { kind: 'other' };
}

/** A group as the log leaves it. */
export interface LoggedGroup {
  readonly recorded: TransactionGroupRecorded['data'];
  /** The transaction that appended the group's TransactionGroupRecorded. */
  readonly transactionId: string;
  status: 'pending' | 'completed' | 'rejected';
  reversedBy: string | null;
}

export interface GroupAudit {
  readonly groups: ReadonlyMap<string, LoggedGroup>;
  /** Every way the log breaks "each group fully applied or not at all"; empty when it holds. */
  readonly findings: readonly string[];
}

interface LegRecording {
  readonly walletId: string;
  readonly groupId: string | null;
  readonly type: 'credit' | 'debit';
  readonly amount: bigint;
  readonly pending: boolean;
  readonly transactionId: string;
}

/**
 * Checks every group of the log is all or nothing: each leg of a recorded group has exactly
 * its one wallet event, appended in the group's own transaction; no wallet event names a group
 * the log does not record; a group's confirm or reject settles every leg in its transaction
 * and no leg is settled alone; a reversal records its reversing group in the same transaction.
 */
export function auditGroups(log: readonly LoggedEvent[]): GroupAudit {
  const findings: string[] = [];
  const groups = new Map<string, LoggedGroup>();
  const recordings = new Map<string, LegRecording[]>();
  const legSettlements = new Map<string, { type: string; transactionId: string }[]>();
  const groupChanges: { event: GroupEvent; transactionId: string }[] = [];

  for (const logged of log) {
    const decoded = decodeLogged(logged);
    if (decoded.kind === 'group') {
      const { event } = decoded;
      if (event.type !== 'TransactionGroupRecorded') {
        groupChanges.push({ event, transactionId: logged.transactionId });
        continue;
      }
      if (groups.has(event.data.groupId)) findings.push(`group ${event.data.groupId} recorded twice`);
      groups.set(event.data.groupId, { recorded: event.data, transactionId: logged.transactionId, status: event.data.pending ? 'pending' : 'completed', reversedBy: null });
    } else if (decoded.kind === 'wallet') {
      const { event } = decoded;
      switch (event.type) {
        case 'FundsCredited':
        case 'FundsDebited':
        case 'HoldPlaced':
        case 'TransactionReversed': {
          const type = event.type === 'FundsCredited' ? 'credit' : event.type === 'FundsDebited' ? 'debit' : event.data.transactionType;
          const recording = { walletId: event.data.walletId, groupId: event.data.groupId, type, amount: event.data.amountMinor, pending: event.type === 'HoldPlaced', transactionId: logged.transactionId };
          recordings.set(event.data.transactionId, [...(recordings.get(event.data.transactionId) ?? []), recording]);
          break;
        }
        case 'HoldConfirmed':
        case 'HoldRejected':
          legSettlements.set(event.data.transactionId, [...(legSettlements.get(event.data.transactionId) ?? []), { type: event.type, transactionId: logged.transactionId }]);
          break;
        default:
          break;
      }
    }
  }

  const legOwner = new Map<string, string>();
  for (const [groupId, group] of groups) {
    for (const leg of group.recorded.legs) {
      legOwner.set(leg.transactionId, groupId);
      const found = recordings.get(leg.transactionId) ?? [];
      const matches =
        found.length === 1 &&
        found[0]!.walletId === leg.walletId &&
        found[0]!.groupId === groupId &&
        found[0]!.type === leg.transactionType &&
        found[0]!.amount === leg.amountMinor &&
        found[0]!.pending === group.recorded.pending &&
        found[0]!.transactionId === group.transactionId;
      if (!matches) findings.push(`leg ${leg.transactionId} of group ${groupId} is recorded as ${JSON.stringify(found, bigintAsText)}`);
    }
  }
  for (const [transactionId, found] of recordings) {
    for (const recording of found) {
      if (recording.groupId === null) continue;
      if (!groups.has(recording.groupId)) findings.push(`transaction ${transactionId} names group ${recording.groupId}, which the log does not record`);
      else if (legOwner.get(transactionId) !== recording.groupId) findings.push(`transaction ${transactionId} names group ${recording.groupId} but is none of its legs`);
    }
  }

  const settledLegs = new Set<string>();
  for (const { event, transactionId } of groupChanges) {
    const group = groups.get(event.data.groupId);
    if (!group) {
      findings.push(`${event.type} of group ${event.data.groupId}, which the log does not record`);
      continue;
    }
    if (event.type === 'TransactionGroupReversed') {
      const reversal = groups.get(event.data.reversedBy);
      if (group.status !== 'completed' || group.reversedBy !== null) findings.push(`group ${event.data.groupId} reversed while ${group.status}, reversed by ${group.reversedBy}`);
      if (reversal?.recorded.reversalOf !== event.data.groupId || reversal.transactionId !== transactionId) findings.push(`the reversal ${event.data.reversedBy} of group ${event.data.groupId} is not recorded with it`);
      group.reversedBy = event.data.reversedBy;
      continue;
    }
    if (group.status !== 'pending') findings.push(`group ${event.data.groupId} ${event.type} while ${group.status}`);
    const legType = event.type === 'TransactionGroupConfirmed' ? 'HoldConfirmed' : 'HoldRejected';
    for (const leg of group.recorded.legs) {
      settledLegs.add(leg.transactionId);
      const settlements = legSettlements.get(leg.transactionId) ?? [];
      if (settlements.length !== 1 || settlements[0]!.type !== legType || settlements[0]!.transactionId !== transactionId) {
        findings.push(`group ${event.data.groupId} ${event.type}, its leg ${leg.transactionId} shows ${JSON.stringify(settlements)}`);
      }
    }
    group.status = event.type === 'TransactionGroupConfirmed' ? 'completed' : 'rejected';
  }
  for (const [transactionId, settlements] of legSettlements) {
    if (legOwner.has(transactionId) && !settledLegs.has(transactionId)) findings.push(`leg ${transactionId} of group ${legOwner.get(transactionId)} was settled alone: ${JSON.stringify(settlements)}`);
  }
  return { groups, findings };
}

const bigintAsText = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

/** The status every leg of a group with this status has. */
export const LEG_STATUS = { pending: 'pending', completed: 'confirmed', rejected: 'rejected' } as const;

/** What the log says of a group, for comparing the read model with it. */
export interface ExpectedGroup {
  readonly status: string;
  readonly legIds: readonly string[];
}

/**
 * The read model's groups against the log's: each group's status and its legs in order, every
 * leg with the status its group implies and naming that group, and as many groups as the log.
 */
export async function readModelGroupFindings(pool: Pool, expected: ReadonlyMap<string, ExpectedGroup>): Promise<string[]> {
  const findings: string[] = [];
  const { rows } = await pool.query<{ id: string; status: string; legs: string[]; leg_statuses: string[] | null; leg_groups: string[] | null }>(
    `select g.id, g.status, g.legs,
            (select array_agg(t.status order by l.ord) from jsonb_array_elements_text(g.legs) with ordinality l(id, ord) join read_model.transactions t on t.id = l.id::uuid) as leg_statuses,
            (select array_agg(distinct t.group_id::text) from read_model.transactions t where t.id in (select l::uuid from jsonb_array_elements_text(g.legs) l)) as leg_groups
       from read_model.transaction_groups g`,
  );
  for (const row of rows) {
    const logged = expected.get(row.id);
    if (!logged || row.status !== logged.status) findings.push(`read model group ${row.id} is ${row.status}, the log says ${logged?.status}`);
    if (logged && JSON.stringify(row.legs) !== JSON.stringify(logged.legIds)) findings.push(`read model group ${row.id} lists legs ${JSON.stringify(row.legs)}`);
    const wanted = LEG_STATUS[row.status as keyof typeof LEG_STATUS];
    if (!row.leg_statuses || row.leg_statuses.length !== row.legs.length || row.leg_statuses.some((status) => status !== wanted)) {
      findings.push(`read model group ${row.id} is ${row.status}, its legs ${JSON.stringify(row.leg_statuses)}`);
    }
    if (JSON.stringify(row.leg_groups) !== JSON.stringify([row.id])) findings.push(`the legs of read model group ${row.id} name groups ${JSON.stringify(row.leg_groups)}`);
  }
  if (rows.length !== expected.size) findings.push(`${rows.length} groups in the read model, ${expected.size} in the log`);
  return findings;
}

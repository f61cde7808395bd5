import type { Pool, PoolClient } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { DuplicateEventIdError, IdempotencyLeaseLostError, WrongExpectedRevisionError } from '../event-store.errors';
import type { AppendResult, IdempotencyCompletion, NewEvent, RecordedEvent, StreamAppend } from '../event-store.port';
import { inTransaction } from '@wallet/postgres';
import { contentHashHex } from '../chain/event-hash';
import { type JsonEventRow, fromJsonRow } from './event-rows';

export interface GroupCommitOptions {
  /** Batches in flight at once; appends that arrive meanwhile wait and share the next one. */
  readonly concurrentBatches: number;
  /** Events in one batch at most: bounds a batch's statement and its lock time. */
  readonly batchEventsMax: number;
}

/** One caller's append: all of its streams or none, with its own idempotency keys. */
interface Member {
  readonly appends: readonly StreamAppend[];
  readonly completions: readonly IdempotencyCompletion[];
  readonly eventIds: readonly (readonly string[])[];
  /** Hex SHA-256 of each event's canonical content, by append and event like eventIds. */
  readonly contentHashes: readonly (readonly string[])[];
  readonly eventCount: number;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** A failure of one member's own making (its data, or building its answer) met while writing a batch. */
class MemberOwnError extends Error {
  constructor(override readonly cause: unknown) {
    super('A member of the batch failed on its own.');
  }
}

interface BatchRow {
  member: number;
  stream: string | null;
  revision: string | null;
  position: string | null;
  id: string | null;
  recorded_at: Date | null;
  error: string | null;
  detail: string | null;
}

/**
 * Group commit: appends that arrive while earlier batches are in flight are written together,
 * in one transaction and one round trip (event_store.append_batch, migration 0007). Each
 * keeps its own expected revisions and fails alone. Under light load a batch holds one
 * append and nothing waits; under load batches grow, and commits per append fall.
 */
export class GroupCommit {
  private queue: Member[] = [];
  private running = 0;

  constructor(
    private readonly pool: Pool,
    private readonly options: GroupCommitOptions,
    /** Called after every batch that committed. */
    private readonly committed: () => void,
  ) {}

  /** `appends` must be sorted by stream name, each stream at most once, none empty. */
  submit(appends: readonly StreamAppend[], completions: readonly IdempotencyCompletion[]): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      const eventIds = appends.map((append) => append.events.map((event) => event.id ?? uuidv7()));
      // Hashed here, once: an event that cannot be hashed fails its own append before any batch.
      const contentHashes = appends.map((append, i) => append.events.map((event, j) => hexContentHash(append.stream, eventIds[i]![j]!, event)));
      const eventCount = appends.reduce((sum, append) => sum + append.events.length, 0);
      this.queue.push({ appends, completions, eventIds, contentHashes, eventCount, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.concurrentBatches && this.queue.length > 0) {
      const batch = this.takeBatch();
      this.running += 1;
      void this.commit(batch).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  /**
   * The members at the head of the queue, up to the event budget. A member touching a stream
   * already in the batch (or held back) waits for the next one, so members never depend on
   * each other's writes and appends to one stream keep their order.
   */
  private takeBatch(): Member[] {
    const batch: Member[] = [];
    const streams = new Set<string>();
    let events = 0;
    for (let index = 0; index < this.queue.length; ) {
      const member = this.queue[index]!;
      if (batch.length > 0 && events + member.eventCount > this.options.batchEventsMax) break;
      if (member.appends.some((append) => streams.has(append.stream))) {
        // Deferred, and its streams with it: no later append may pass it on them.
        for (const append of member.appends) streams.add(append.stream);
        index += 1;
        continue;
      }
      for (const append of member.appends) streams.add(append.stream);
      events += member.eventCount;
      batch.push(member);
      this.queue.splice(index, 1);
    }
    return batch;
  }

  private async commit(batch: readonly Member[]): Promise<void> {
    try {
      const settle = await this.write(batch);
      this.committed();
      settle();
    } catch (error) {
      if (error instanceof MemberOwnError && batch.length === 1) {
        batch[0]!.reject(error.cause);
        return;
      }
      if (batch.length > 1 && failedOnItsOwn(error)) {
        // One member's data failed the whole statement (a reused event id, say): write each
        // alone, so that only that member fails.
        await Promise.all(batch.map((member) => this.commit([member])));
        return;
      }
      for (const member of batch) member.reject(translateError(error, member.appends));
    }
  }

  /** Writes the batch and returns how to answer its members, once committed. */
  private async write(batch: readonly Member[]): Promise<() => void> {
    const payload = ownFailure(() => JSON.stringify(batchPayload(batch)));
    const sql = 'select * from event_store.append_batch($1::jsonb)';
    if (batch.every((member) => member.completions.length === 0)) {
      const { rows } = await this.pool.query<BatchRow>(sql, [payload]);
      return settlement(batch, rows);
    }
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<BatchRow>(sql, [payload]);
      const settle = settlement(batch, rows);
      await completeIdempotency(client, batch, rows);
      return settle;
    });
  }
}

/** The batch as append_batch takes it (see migrations 0007 and 0009): flat lists, numbered from 1, with content hashes. */
function batchPayload(batch: readonly Member[]): unknown {
  const appends: unknown[] = [];
  const events: unknown[] = [];
  const keys: unknown[] = [];
  batch.forEach((member, index) => {
    member.appends.forEach((append, appendIndex) => {
      const a = appends.length + 1;
      appends.push({ a, member: index + 1, stream: append.stream, expected: String(append.expectedRevision), count: append.events.length });
      append.events.forEach((event, eventIndex) => {
        const { type, schemaVersion, data, metadata } = event;
        const id = member.eventIds[appendIndex]![eventIndex];
        const h = member.contentHashes[appendIndex]![eventIndex];
        events.push({ a, n: events.length + 1, k: eventIndex + 1, id, type, schema_version: schemaVersion, data, metadata, h });
      });
    });
    for (const { scope, key, token } of member.completions) keys.push({ member: index + 1, scope, key, token });
  });
  return { appends, events, keys };
}

function hexContentHash(stream: string, id: string, event: NewEvent): string {
  return contentHashHex({ stream, id, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata });
}

/** Pairs the rows of append_batch with the members: a result or an error for each. */
function settlement(batch: readonly Member[], rows: readonly BatchRow[]): () => void {
  const byMember = groupByMember(rows);
  return () => {
    batch.forEach((member, index) => {
      const memberRows = byMember.get(index + 1) ?? [];
      const failure = memberRows.find((row) => row.error !== null);
      if (failure) member.reject(memberError(failure, member));
      else member.resolve(toAppendResult(member.appends, memberRows));
    });
  };
}

function groupByMember(rows: readonly BatchRow[]): Map<number, BatchRow[]> {
  const byMember = new Map<number, BatchRow[]>();
  for (const row of rows) {
    const list = byMember.get(row.member);
    if (list) list.push(row);
    else byMember.set(row.member, [row]);
  }
  return byMember;
}

/** Stores each committed member's answers under its keys, in the batch's transaction. */
async function completeIdempotency(client: PoolClient, batch: readonly Member[], rows: readonly BatchRow[]): Promise<void> {
  const byMember = groupByMember(rows);
  const completed = batch.flatMap((member, index) => {
    const memberRows = byMember.get(index + 1) ?? [];
    if (member.completions.length === 0 || memberRows.some((row) => row.error !== null)) return [];
    const result = toAppendResult(member.appends, memberRows);
    return member.completions.map((completion) => {
      const response = ownFailure(() => completion.response(result));
      return { scope: completion.scope, key: completion.key, token: completion.token, status: response.status, body: JSON.stringify(response.body) };
    });
  });
  if (completed.length === 0) return;
  // The rows are locked by append_batch, which checked every token: each update hits its row.
  await client.query(
    `update event_store.idempotency_keys k
        set status = 'completed', response_status = c.status, response_body = c.body::json, locked_until = null
       from jsonb_to_recordset($1::jsonb) as c(scope text, key text, token uuid, status integer, body text)
      where k.scope = c.scope and k.key = c.key and k.token = c.token`,
    [JSON.stringify(completed)],
  );
}

function toAppendResult(appends: readonly StreamAppend[], rows: readonly BatchRow[]): AppendResult {
  // A member's rows come in the order its events were given (streams by name, then events).
  const written = appends.flatMap((append) => append.events);
  const nextExpectedRevisions = new Map<string, number>();
  const events = rows.map((row, index): RecordedEvent => {
    const revision = Number(row.revision);
    nextExpectedRevisions.set(row.stream!, revision);
    const { type, schemaVersion, data, metadata } = written[index]!;
    return { id: row.id!, stream: row.stream!, revision, position: BigInt(row.position!), type, schemaVersion, data, metadata, recordedAt: row.recorded_at! };
  });
  return { position: events[events.length - 1]!.position, nextExpectedRevisions, events };
}

/** Events after a revision a writer expected: at most this many per stream in a conflict's answer (migration 0014). */
const MISSED_EVENTS_MAX = 100;

interface ConflictDetail {
  stream: string;
  actual: number;
  missed?: { stream: string; events: JsonEventRow[] }[] | null;
}

function memberError(row: BatchRow, member: Member): Error {
  if (row.error === 'ES410') return new IdempotencyLeaseLostError(`Idempotency key ${row.detail ?? ''} is no longer held by this request.`, row.detail ?? undefined);
  const { stream, actual, missed } = JSON.parse(row.detail ?? '{}') as ConflictDetail;
  const expected = member.appends.find((append) => append.stream === stream)?.expectedRevision ?? 'any';
  const missedByStream = missed
    ? new Map(missed.map((part) => [part.stream, { events: part.events.map(fromJsonRow), complete: part.events.length < MISSED_EVENTS_MAX }]))
    : undefined;
  return new WrongExpectedRevisionError(stream, expected, actual < 0 ? 'no_stream' : actual, missedByStream);
}

function ownFailure<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw new MemberOwnError(error);
  }
}

/** An error of the statement's data or of one member, not of the connection: worth retrying members alone. */
function failedOnItsOwn(error: unknown): boolean {
  if (error instanceof MemberOwnError) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|40|ES)/.test(code);
}

function translateError(error: unknown, appends: readonly StreamAppend[]): unknown {
  const pgError = error as { code?: string; constraint?: string; detail?: string };
  if (pgError.code === '40P01' || pgError.code === '40001') {
    return new WrongExpectedRevisionError(appends[0]?.stream ?? 'unknown', appends[0]?.expectedRevision ?? 'any', 'unknown');
  }
  if (pgError.code === '23505' && pgError.constraint === 'events_id_key') {
    return new DuplicateEventIdError(`An event with one of these ids already exists: ${pgError.detail ?? ''}`);
  }
  return error;
}

import type { AppendResult, NewEvent, RecordedEvent, StreamAppend } from '@wallet/event-store';
import { v7 as uuidv7 } from 'uuid';
import type { CommandContext } from './command-context';
import { type Outcome, isRefused } from './command-outcome';

export interface MergedAppends {
  /** One append per stream: the commands' events in order, at the first command's expected revision. */
  readonly appends: readonly StreamAppend[];
  /** The ids of each command's events, by command index. */
  readonly eventIds: readonly (readonly string[])[];
}

/**
 * Merges the appends of commands decided in order into one append per stream. Only the
 * first expected revision of a stream is checked: each later command was decided on the
 * state its predecessors left, so it holds exactly when the first one does. Every event
 * gets its id here, so each command can find its own events in the result.
 */
export function mergeAppends(outcomes: readonly Outcome[], contexts: readonly CommandContext[]): MergedAppends {
  const streams = new Map<string, { stream: string; expectedRevision: StreamAppend['expectedRevision']; events: NewEvent[] }>();
  const eventIds = outcomes.map((outcome, index) => {
    if (isRefused(outcome)) return [];
    const context = contexts[index]!;
    // The audit trail: which request and which API key (null: the service itself) caused each event.
    const metadata = {
      correlationId: context.requestId,
      causationId: context.requestId,
      requestId: context.requestId,
      apiKeyId: context.caller?.keyId ?? null,
      ...(context.idempotency ? { idempotencyKey: context.idempotency.key } : {}),
    };
    const ids: string[] = [];
    for (const append of outcome.appends) {
      if (append.events.length === 0) continue;
      let merged = streams.get(append.stream);
      if (!merged) streams.set(append.stream, (merged = { stream: append.stream, expectedRevision: append.expectedRevision, events: [] }));
      for (const event of append.events) {
        const id = uuidv7();
        ids.push(id);
        merged.events.push({ id, type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata });
      }
    }
    return ids;
  });
  return { appends: [...streams.values()], eventIds };
}

const indexes = new WeakMap<AppendResult, Map<string, RecordedEvent>>();

/** One command's part of an append's result; null when it appended nothing. */
export function resultOf(result: AppendResult, ids: readonly string[]): AppendResult | null {
  if (ids.length === 0) return null;
  let byId = indexes.get(result);
  if (!byId) indexes.set(result, (byId = new Map(result.events.map((event) => [event.id, event]))));
  const events = ids.map((id) => byId.get(id)!);
  const nextExpectedRevisions = new Map(events.map((event) => [event.stream, event.revision]));
  const position = events.reduce((last, event) => (event.position > last ? event.position : last), 0n);
  return { position, nextExpectedRevisions, events };
}

import type { AppendResult, ExpectedRevision } from '@wallet/event-store';

/*
 * What deciding one command yields. The executor and the merging of a turn's appends both
 * read it, so it depends on neither.
 */

/** An event as the domain's codec encodes it, before the executor adds metadata. */
interface EncodedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
}

export interface DecidedAppend {
  readonly stream: string;
  readonly events: readonly EncodedEvent[];
  readonly expectedRevision: ExpectedRevision;
}

/** What one command decided: what to append and how to answer. */
export interface Decided<View = unknown> {
  readonly appends: readonly DecidedAppend[];
  /** The answer, given the command's own part of the append (null when it appended nothing). */
  readonly present: (appended: AppendResult | null) => View;
}

/** A command the domain refused: answered with `error` once the attempt's append committed. */
export interface Refused {
  readonly refused: unknown;
}

export type Outcome = Decided | Refused;

export const isRefused = (outcome: Outcome): outcome is Refused => 'refused' in outcome;

/** The expected revision of a stream whose state has folded `version` events. */
export const streamRevision = (version: number): ExpectedRevision => (version === 0 ? 'no_stream' : version - 1);

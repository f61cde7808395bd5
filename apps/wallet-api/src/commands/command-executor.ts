import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import {
  type AppendResult,
  EVENT_STORE,
  type EventStore,
  type ExpectedRevision,
  IDEMPOTENCY_STORE,
  type IdempotencyStore,
  WrongExpectedRevisionError,
} from '@wallet/event-store';
import { type CommandContext, storedSuccess } from './command-context';
import { KeyedSerialQueue } from './keyed-serial-queue';
import { WriteContentionError } from './write-contention.error';

/** An event as the domain's codec encodes it, before the executor adds metadata. */
export interface EncodedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
}

export interface DecidedAppend {
  readonly stream: string;
  readonly events: readonly EncodedEvent[];
  readonly expectedRevision: ExpectedRevision;
}

/** What one attempt of a command decided: what to append and how to answer. */
export interface Decided<View> {
  readonly appends: readonly DecidedAppend[];
  /** The answer, given the append's result (null when nothing was appended). */
  readonly present: (appended: AppendResult | null) => View;
  /** Called once the append committed: caches learn the new states. */
  readonly committed?: () => void;
  /** Called when another writer won: caches forget what they held. */
  readonly conflicted?: () => void;
}

export const streamRevision = (version: number): ExpectedRevision => (version === 0 ? 'no_stream' : version - 1);

/**
 * The one write path of every command: hold the keys, decide, append all streams at once
 * with their expected revisions, answer. A conflict means another writer won: decide again
 * (bounded). With an Idempotency-Key, the answer is built inside the append's transaction
 * (it needs the positions) and stored there.
 */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queue: KeyedSerialQueue,
  ) {}

  execute<View>(keys: readonly string[], decide: () => Promise<Decided<View>>, context: CommandContext): Promise<View> {
    return this.queue.runExclusive(keys, () => this.decideAndAppend(decide, context));
  }

  private async decideAndAppend<View>(decide: () => Promise<Decided<View>>, context: CommandContext): Promise<View> {
    for (let attempt = 1; ; attempt += 1) {
      const decided = await decide();
      if (decided.appends.every((append) => append.events.length === 0)) return this.answerUnchanged(decided, context);
      try {
        const view = await this.append(decided, context);
        decided.committed?.();
        return view;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        decided.conflicted?.();
        if (attempt >= this.config.COMMAND_RETRIES_MAX) throw new WriteContentionError(`${error.stream} is being changed by other writers; try again.`);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  private async append<View>(decided: Decided<View>, context: CommandContext): Promise<View> {
    const metadata = {
      correlationId: context.requestId,
      causationId: context.requestId,
      ...(context.idempotency ? { idempotencyKey: context.idempotency.key } : {}),
    };
    const appends = decided.appends
      .filter((append) => append.events.length > 0)
      .map((append) => ({ ...append, events: append.events.map((event) => ({ ...event, metadata })) }));
    const held = context.idempotency;
    let view: View | undefined;
    const answer = (appended: AppendResult): View => (view = decided.present(appended));
    const result = await this.store.appendMany(
      appends,
      held && { idempotency: { ...held, response: (appended) => storedSuccess(held, answer(appended)) } },
    );
    return view ?? answer(result);
  }

  private async answerUnchanged<View>(decided: Decided<View>, context: CommandContext): Promise<View> {
    const view = decided.present(null);
    const held = context.idempotency;
    if (held) await this.idempotency.complete(held.scope, held.key, held.token, storedSuccess(held, view));
    return view;
  }
}

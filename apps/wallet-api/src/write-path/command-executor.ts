import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import {
  type AppendResult,
  EVENT_STORE,
  type EventStore,
  IDEMPOTENCY_STORE,
  type IdempotencyCompletion,
  IdempotencyLeaseLostError,
  type MissedEvents,
  type IdempotencyStore,
  WrongExpectedRevisionError,
} from '@wallet/event-store';
import { type CommandContext, storedSuccess } from './command-context';
import { type Decided, type Outcome, isRefused } from './command-outcome';
import { KeyedSerialQueue } from './keyed-serial-queue';
import { WriteContentionError } from './write-contention.error';
import { mergeAppends, resultOf } from './merged-appends';

/** One attempt at a run of commands, each decided on the state its predecessors left. */
export interface Attempt {
  /** One per command, in order. */
  readonly outcomes: readonly Outcome[];
  /** The states decided on came from a cache and may be behind their streams. */
  readonly cached: boolean;
  /** Called once the append committed: caches learn the new states. */
  readonly committed?: () => void;
}

/**
 * Decides the commands; `catchUp` asks for states read up to the end of their streams. The
 * commands at `skipped` indexes must be left out (their outcome is ignored): they lost their
 * Idempotency-Key, and the others are decided again without them.
 */
export type Decide = (catchUp: boolean, skipped: ReadonlySet<number>) => Promise<Attempt>;

/** The commands to run, learnt once their keys are held. */
export interface CommandRun {
  readonly contexts: readonly CommandContext[];
  readonly decide: Decide;
  /**
   * Folds the events a conflict says were missed into the states decisions start from; true
   * when every stream that had moved on is now current, so the next attempt needs no catch-up.
   */
  readonly learn?: (missed: ReadonlyMap<string, MissedEvents>) => boolean;
}

/** One command's answer, or its own error: a presenter that throws fails its command alone. */
function settle(answer: () => unknown): PromiseSettledResult<unknown> {
  try {
    return { status: 'fulfilled', value: answer() };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

/**
 * The one write path of every command: hold the keys, decide, append all streams at once
 * with their expected revisions, answer. Several commands on the same keys are decided in
 * order and appended together: one append, one expected revision per stream. A conflict
 * means another writer won: catch up and decide again (bounded). Answers, refusals
 * included, wait for the commit, because each was decided on its predecessors' effects.
 * With Idempotency-Keys, the answers are stored in the append's transaction.
 */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queue: KeyedSerialQueue,
  ) {}

  /** Commands holding `keys`: `commands` is asked which, once the keys are held. */
  run(keys: readonly string[], commands: () => CommandRun): Promise<PromiseSettledResult<unknown>[]> {
    return this.queue.runExclusive(keys, () => this.decideAndAppend(commands()));
  }

  private async decideAndAppend({ contexts, decide, learn }: CommandRun): Promise<PromiseSettledResult<unknown>[]> {
    let catchUp = false;
    const skipped = new Map<number, unknown>();
    for (let attempt = 1; ; attempt += 1) {
      const decided = await decide(catchUp, new Set(skipped.keys()));
      catchUp = true;
      const outcomes = decided.outcomes.map((outcome, index): Outcome => (skipped.has(index) ? { refused: skipped.get(index) } : outcome));
      const merged = mergeAppends(outcomes, contexts);
      if (merged.appends.length === 0) {
        // Nothing appended means nothing checked the states: answer only from current ones.
        if (decided.cached) continue;
        return this.answerUnchanged(outcomes, contexts);
      }
      try {
        const results = await this.append(outcomes, contexts, merged);
        decided.committed?.();
        return results;
      } catch (error) {
        const lost = error instanceof IdempotencyLeaseLostError && contexts.length > 1 ? contexts.findIndex((c) => c.idempotency?.key === error.key) : -1;
        if (lost >= 0 && !skipped.has(lost)) {
          // One command lost its key: it alone fails; the others go on without it.
          skipped.set(lost, error);
          continue;
        }
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= this.config.COMMAND_RETRIES_MAX) throw new WriteContentionError(`${error.stream} is being changed by other writers; try again.`);
        // Told what it missed, the run decides again at once: another writer busy on the same
        // stream is then raced on equal terms, not after a read that lets it append again.
        catchUp = !(error.missed !== undefined && learn?.(error.missed) === true);
        if (catchUp) await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    }
  }

  private async append(
    outcomes: readonly Outcome[],
    contexts: readonly CommandContext[],
    merged: ReturnType<typeof mergeAppends>,
  ): Promise<PromiseSettledResult<unknown>[]> {
    const views = new Map<number, unknown>();
    const answer = (index: number, result: AppendResult): unknown => {
      if (!views.has(index)) views.set(index, (outcomes[index] as Decided).present(resultOf(result, merged.eventIds[index]!)));
      return views.get(index);
    };
    const completions = outcomes.flatMap((outcome, index): IdempotencyCompletion[] => {
      const held = contexts[index]!.idempotency;
      return held && !isRefused(outcome) ? [{ ...held, response: (result) => storedSuccess(held, answer(index, result)) }] : [];
    });
    const result = await this.store.appendMany(merged.appends, { idempotency: completions });
    return outcomes.map((outcome, index) => (isRefused(outcome) ? { status: 'rejected', reason: outcome.refused } : settle(() => answer(index, result))));
  }

  private async answerUnchanged(outcomes: readonly Outcome[], contexts: readonly CommandContext[]): Promise<PromiseSettledResult<unknown>[]> {
    const results: PromiseSettledResult<unknown>[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      if (isRefused(outcome)) {
        results.push({ status: 'rejected', reason: outcome.refused });
        continue;
      }
      const answered = settle(() => outcome.present(null));
      const held = contexts[index]!.idempotency;
      if (held && answered.status === 'fulfilled') await this.idempotency.complete(held.scope, held.key, held.token, storedSuccess(held, answered.value));
      results.push(answered);
    }
    return results;
  }
}

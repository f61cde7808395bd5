import type { GroupEvent, WalletEvent } from '@wallet/domain';
import type { BatchStatement } from './batch-statement';
import type { WalletBalances } from './wallet-balances';

/** Every event a projection may fold: the domain's wallet and group events. */
export type DomainEvent = WalletEvent | GroupEvent;
export type DomainEventType = DomainEvent['type'];

/** A decoded event with the envelope fields the read models keep. */
export interface ProjectedEvent<E extends DomainEvent = DomainEvent> {
  readonly position: bigint;
  /** The event's revision in its stream. */
  readonly revision: number;
  readonly event: E;
}

/**
 * What the projections of one batch share, so that no projection reads another's changes
 * behind its back. The projections fold each event in the order of their list, so one that
 * reads the shared state after an event (snapshots) comes after the one that moves it
 * (balances).
 */
export interface BatchState {
  /** The wallets' balance rows as the batch's events so far leave them. */
  readonly balances: WalletBalances;
}

/**
 * One read model: the event types it folds and the SQL that writes what a batch of them
 * changed. The projector folds a whole batch in memory first, then writes every
 * projection's changes and moves the checkpoint with one statement, in one transaction:
 * a new read model is one more projection in the list, not one more round trip.
 */
export interface Projection<E extends DomainEvent = DomainEvent> {
  /** Tells it apart: unique in the list (projections.spec.ts), how the specs name it. */
  readonly name: string;
  /** The event types it folds: the projector hands it these and no others. */
  readonly handles: readonly E['type'][];
  /** Starts the fold of one batch on the batch's shared state. */
  begin(shared: BatchState): ProjectionBatch<E>;
}

/** A projection's fold of one batch. */
export interface ProjectionBatch<E extends DomainEvent = DomainEvent> {
  /** Folds one event of a type the projection handles; events come in position order. */
  fold(projected: ProjectedEvent<E>): void;
  /**
   * Adds the parts of the batch's statement that write what was folded, nothing when the
   * batch changed nothing here. The parts of one statement cannot see each other's rows, so
   * the fold merges everything a batch does to one row first (a hold settled in the batch
   * that placed it is inserted settled).
   */
  write(statement: BatchStatement): void;
}

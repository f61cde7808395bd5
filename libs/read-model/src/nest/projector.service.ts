import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@wallet/event-store';
import type { Pool } from 'pg';
import { ProjectionHaltedError, Projector, type ProjectorBatchHooks } from '../projector/projector';
import { ProjectorState } from './projector-state';
import { PG_POOL } from '@wallet/postgres';

/** Listens to every committed batch: metrics hook in here. */
export const PROJECTOR_BATCH_LISTENER = Symbol('PROJECTOR_BATCH_LISTENER');
export type ProjectorBatchListener = (events: readonly RecordedEvent[], checkpoint: bigint) => void;

/** Optional seams around every batch's transaction (ProjectorBatchHooks): crash tests provide them. */
export const PROJECTOR_BATCH_HOOKS = Symbol('PROJECTOR_BATCH_HOOKS');

/**
 * Runs the projector for the lifetime of a Nest application: started at bootstrap, stopped
 * (after its current batch) when the application closes, before the pool is ended. `done` settles when it stops, and rejects if an
 * event could not be applied.
 */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Projector');
  private readonly controller = new AbortController();
  private readonly projector: Projector;
  private running: Promise<void> = Promise.resolve();
  /** The API's metrics and readiness read this; the projector process has one of its own. */
  readonly state: ProjectorState;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(PROJECTOR_BATCH_LISTENER) onBatch: ProjectorBatchListener,
    @Optional() @Inject(PROJECTOR_BATCH_HOOKS) hooks?: ProjectorBatchHooks,
    @Optional() @Inject(ProjectorState) state?: ProjectorState,
  ) {
    this.state = state ?? new ProjectorState();
    this.projector = new Projector({
      pool,
      store,
      snapshotEvery: config.SNAPSHOT_EVERY,
      batchSizeMax: config.PROJECTOR_BATCH_SIZE,
      log: (message) => this.logger.log(message),
      logError: (message) => this.logger.error(message),
      onBatch,
      hooks,
    });
  }

  get done(): Promise<void> {
    return this.running;
  }

  onApplicationBootstrap(): void {
    // Whatever ends the run before it is asked to stop leaves the read model behind for good: a
    // halt, and `done` rejects. An error met while stopping (say, the database away) is no halt.
    this.running = this.projector.run(this.controller.signal).catch((error: unknown) => {
      if (this.controller.signal.aborted) return;
      const reason = error instanceof Error ? error.message : String(error);
      this.state.markHalted(error instanceof ProjectionHaltedError ? error.position : null, reason);
      this.logger.error(`Projector halted: ${reason}; the read model stays behind until it is mended and the projector restarted`);
      throw error;
    });
    this.running.catch(() => undefined);
  }

  async onModuleDestroy(): Promise<void> {
    this.controller.abort();
    await this.running.catch(() => undefined);
  }
}

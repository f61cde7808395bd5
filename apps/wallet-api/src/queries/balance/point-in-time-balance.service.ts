import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { walletStream } from '@wallet/domain';
import { EVENT_STORE, type EventStore } from '@wallet/event-store';
import { type BalancePoint, type HistoryMoment, type ReplayBound, foldUntil, nearestSnapshot, pointOfSnapshot } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';

/** Events read past SNAPSHOT_EVERY, so that one read also meets the event that ends the replay. */
const REPLAY_SLACK = 16;
const REPLAY_PAGE_MAX = 10_000;

/**
 * A wallet's balance at a moment of its history: the nearest ledger snapshot at or before
 * it, plus the wallet's events after that snapshot up to the moment. Snapshots are at most
 * SNAPSHOT_EVERY events apart, so this is one indexed lookup and one bounded stream read
 * whatever the length of the history.
 */
@Injectable()
export class PointInTimeBalance {
  private readonly pageSize: number;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.pageSize = Math.min(config.SNAPSHOT_EVERY + REPLAY_SLACK, REPLAY_PAGE_MAX);
  }

  /**
   * The state after the last event at or before `moment`, counting only events the read
   * model has projected (up to `checkpoint`); undefined before the wallet's first event.
   */
  async at(walletId: string, moment: HistoryMoment, checkpoint: bigint): Promise<BalancePoint | undefined> {
    const snapshot = await nearestSnapshot(this.pool, walletId, moment);
    const bound: ReplayBound = 'position' in moment ? { position: moment.position } : { position: checkpoint, at: moment.at };
    let point = snapshot && pointOfSnapshot(snapshot);
    // One page in practice; more only where snapshots lie further apart than SNAPSHOT_EVERY
    // says now (it was lowered after they were taken).
    for (;;) {
      const page = await this.store.readStream(walletStream(walletId), { fromRevision: (point?.revision ?? -1) + 1, maxCount: this.pageSize });
      const step = foldUntil(point, page, bound);
      point = step.point;
      if (step.passed || page.length < this.pageSize) return point;
    }
  }
}

import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { listSnapshots } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import { type PageView, toPage } from '../../http/page.presenter';
import { assertWalletKnown } from '../shared/wallet-existence';
import { ListSnapshotsQuery } from './list-snapshots.query';
import { type SnapshotView, presentSnapshot } from './snapshot.presenter';

@QueryHandler(ListSnapshotsQuery)
export class ListSnapshotsHandler implements IQueryHandler<ListSnapshotsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ walletId, params: { limit, cursor } }: ListSnapshotsQuery): Promise<PageView<SnapshotView>> {
    const rows = await listSnapshots(this.pool, walletId, cursor, limit + 1);
    await assertWalletKnown(this.pool, walletId, rows.length);
    return toPage(rows, limit, presentSnapshot, (row) => ({ position: row.position.toString() }));
  }
}

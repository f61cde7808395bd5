import { Query } from '@nestjs/cqrs';
import type { PageView } from '../../http/page.presenter';
import type { ListSnapshotsQueryDto } from './snapshots.dto';
import type { SnapshotView } from './snapshot.presenter';

export class ListSnapshotsQuery extends Query<PageView<SnapshotView>> {
  constructor(
    readonly walletId: string,
    readonly params: ListSnapshotsQueryDto,
  ) {
    super();
  }
}

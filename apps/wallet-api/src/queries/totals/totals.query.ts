import { Query } from '@nestjs/cqrs';
import type { TotalsQueryDto } from './totals.dto';
import type { TotalsView } from './totals.presenter';

export class TotalsQuery extends Query<TotalsView> {
  /** `checkpoint`: the read model's position when the request was admitted, the default moment. */
  constructor(
    readonly params: TotalsQueryDto,
    readonly checkpoint: bigint,
  ) {
    super();
  }
}

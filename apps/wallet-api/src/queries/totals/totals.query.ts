import { Query } from '@nestjs/cqrs';
import type { TotalsQueryDto } from './totals.dto';
import type { TotalsView } from './totals.presenter';

export class TotalsQuery extends Query<TotalsView> {
  constructor(readonly params: TotalsQueryDto) {
    super();
  }
}

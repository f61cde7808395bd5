import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { totalsAt } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import { TotalsQuery } from './totals.query';
import type { TotalsView } from './totals.presenter';

/**
 * Totals at the position asked for, else at the read model's position when the request was
 * admitted: the interceptor has waited until the read model reached either, so both are exact.
 */
@QueryHandler(TotalsQuery)
export class TotalsHandler implements IQueryHandler<TotalsQuery> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute({ params: { currency, atPosition }, checkpoint }: TotalsQuery): Promise<TotalsView> {
    const position = atPosition ?? checkpoint;
    const totals = await totalsAt(this.pool, currency, position);
    return {
      currency,
      position: position.toString(),
      wallets: totals.wallets.toString(),
      ledger: totals.ledgerMinor.toString(),
      pendingDebits: totals.pendingDebitsMinor.toString(),
      pendingCredits: totals.pendingCreditsMinor.toString(),
    };
  }
}

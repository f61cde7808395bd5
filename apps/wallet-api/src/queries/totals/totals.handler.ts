import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@wallet/event-store';
import { totalsAt } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import { TotalsQuery } from './totals.query';
import type { TotalsView } from './totals.presenter';

/**
 * Totals at the position asked for (the interceptor has waited until the read model reached
 * it), else the current ones, as of the read model's position read in the same statement.
 */
@QueryHandler(TotalsQuery)
export class TotalsHandler implements IQueryHandler<TotalsQuery> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ params: { currency, atPosition } }: TotalsQuery): Promise<TotalsView> {
    const totals = await totalsAt(this.pool, this.store, currency, atPosition);
    return {
      currency,
      position: totals.position.toString(),
      wallets: totals.wallets.toString(),
      ledger: totals.ledgerMinor.toString(),
      pendingDebits: totals.pendingDebitsMinor.toString(),
      pendingCredits: totals.pendingCreditsMinor.toString(),
    };
  }
}

import { Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@wallet/domain';
import { type HistoryMoment, findWallet } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import { BalanceAtQuery } from './balance-at.query';
import { type BalanceAtView, presentBalanceAt } from './balance.presenter';
import { PointInTimeBalance } from './point-in-time-balance.service';

const notFound = () => new DomainError('WALLET_NOT_FOUND', 'No wallet had this id at that moment.');

@QueryHandler(BalanceAtQuery)
export class BalanceAtHandler implements IQueryHandler<BalanceAtQuery> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly history: PointInTimeBalance,
  ) {}

  async execute({ walletId, params: { at, atPosition }, checkpoint }: BalanceAtQuery): Promise<BalanceAtView> {
    const moment: HistoryMoment | undefined = atPosition !== undefined ? { position: atPosition } : at !== undefined ? { at } : undefined;
    if (!moment) return this.current(walletId);
    const point = await this.history.at(walletId, moment, checkpoint);
    if (!point) throw notFound();
    return presentBalanceAt(point.totals, point.position, at ?? point.occurredAt);
  }

  /** The read model's balance row: as of the wallet's last projected event. */
  private async current(walletId: string): Promise<BalanceAtView> {
    const wallet = await findWallet(this.pool, walletId);
    if (!wallet) throw notFound();
    return presentBalanceAt(wallet.balance, wallet.position, wallet.updatedAt);
  }
}

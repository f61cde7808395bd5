import { type OverdraftLimit, type WalletEvent, WALLET_EVENT_TYPES, occurredAt } from '@wallet/domain';
import type { BatchStatement } from '../../projector/batch-statement';
import type { ProjectedEvent, Projection, ProjectionBatch } from '../../projector/projection';

interface WalletRow {
  readonly id: string;
  readonly type: string;
  readonly currency: string;
  readonly metadata: Record<string, unknown>;
  readonly overdraftLimit: OverdraftLimit;
  readonly createdAt: string;
}

/** What every event of a wallet changes in its row: when, and at which revision and position. */
interface WalletTouch {
  readonly updatedAt: string;
  readonly version: number;
  readonly position: bigint;
}

/** The column's value: NULL stands for no floor at all (a system wallet). */
const limitColumn = (limit: OverdraftLimit): bigint | null => (limit === 'unlimited' ? null : limit);

class WalletsBatch implements ProjectionBatch<WalletEvent> {
  private readonly opened = new Map<string, WalletRow>();
  private readonly touched = new Map<string, WalletTouch>();
  /** The last limit the batch set on wallets of earlier batches. */
  private readonly limits = new Map<string, OverdraftLimit>();

  fold({ event, position, revision }: ProjectedEvent<WalletEvent>): void {
    const walletId = event.data.walletId;
    const at = occurredAt(event);
    this.touched.set(walletId, { updatedAt: at, version: revision + 1, position });
    if (event.type === 'WalletOpened') {
      const { walletType, currency, metadata, overdraftLimit } = event.data;
      this.opened.set(walletId, { id: walletId, type: walletType, currency, metadata, overdraftLimit: overdraftLimit ?? 0n, createdAt: at });
    } else if (event.type === 'OverdraftLimitSet') {
      const opened = this.opened.get(walletId);
      if (opened) this.opened.set(walletId, { ...opened, overdraftLimit: event.data.overdraftLimit });
      else this.limits.set(walletId, event.data.overdraftLimit);
    }
  }

  write(statement: BatchStatement): void {
    const { schema, params: p } = statement;
    const created = [...this.opened.values()];
    const createdTouches = created.map((wallet) => this.touched.get(wallet.id)!);
    const updated = [...this.touched].filter(([id]) => !this.opened.has(id));
    if (created.length > 0) {
      statement.add('new_wallets', `insert into ${schema}.wallets (id, type, currency, metadata, overdraft_limit, created_at, updated_at, version, position)
       select * from unnest(${p.uuid(created, (w) => w.id)}, ${p.text(created, (w) => w.type)}, ${p.text(created, (w) => w.currency)},
         ${p.jsonb(created, (w) => w.metadata)}, ${p.int8(created, (w) => limitColumn(w.overdraftLimit))}, ${p.timestamptz(created, (w) => w.createdAt)},
         ${p.timestamptz(createdTouches, (t) => t.updatedAt)}, ${p.int4(createdTouches, (t) => t.version)}, ${p.int8(createdTouches, (t) => t.position)})`);
    }
    if (updated.length > 0) this.writeUpdates(statement, updated);
  }

  /** Stamps the wallets of earlier batches, and sets the limit of those whose limit the batch set (`limit_set`). */
  private writeUpdates(statement: BatchStatement, updated: ReadonlyArray<readonly [string, WalletTouch]>): void {
    const { schema, params: p } = statement;
    const limits = updated.map(([id]) => this.limits.get(id));
    statement.add('touched_wallets', `update ${schema}.wallets w set updated_at = u.updated_at, version = u.version, position = u.position,
         overdraft_limit = case when u.limit_set = 1 then u.overdraft_limit else w.overdraft_limit end
         from unnest(${p.uuid(updated, ([id]) => id)}, ${p.timestamptz(updated, ([, t]) => t.updatedAt)}, ${p.int4(updated, ([, t]) => t.version)},
           ${p.int8(updated, ([, t]) => t.position)}, ${p.int4(limits, (limit) => (limit === undefined ? 0 : 1))},
           ${p.int8(limits, (limit) => (limit === undefined ? null : limitColumn(limit)))})
           as u(id, updated_at, version, position, limit_set, overdraft_limit)
        where w.id = u.id`);
  }
}

/**
 * `wallets`: a row per wallet, opened by WalletOpened, its overdraft limit set by
 * OverdraftLimitSet, and stamped by every event of the wallet.
 */
export const walletsProjection: Projection<WalletEvent> = {
  name: 'wallets',
  handles: WALLET_EVENT_TYPES,
  begin: () => new WalletsBatch(),
};

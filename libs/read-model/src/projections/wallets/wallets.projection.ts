import { type WalletEvent, WALLET_EVENT_TYPES, occurredAt } from '@wallet/domain';
import type { BatchStatement } from '../../projector/batch-statement';
import type { ProjectedEvent, Projection, ProjectionBatch } from '../../projector/projection';

interface WalletRow {
  readonly id: string;
  readonly type: string;
  readonly currency: string;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: string;
}

/** What every event of a wallet changes in its row: when, and at which revision and position. */
interface WalletTouch {
  readonly updatedAt: string;
  readonly version: number;
  readonly position: bigint;
}

class WalletsBatch implements ProjectionBatch<WalletEvent> {
  private readonly opened = new Map<string, WalletRow>();
  private readonly touched = new Map<string, WalletTouch>();

  fold({ event, position, revision }: ProjectedEvent<WalletEvent>): void {
    const walletId = event.data.walletId;
    const at = occurredAt(event);
    this.touched.set(walletId, { updatedAt: at, version: revision + 1, position });
    if (event.type === 'WalletOpened') {
      const { walletType, currency, metadata } = event.data;
      this.opened.set(walletId, { id: walletId, type: walletType, currency, metadata, createdAt: at });
    }
  }

  write(statement: BatchStatement): void {
    const { schema, params: p } = statement;
    const created = [...this.opened.values()];
    const createdTouches = created.map((wallet) => this.touched.get(wallet.id)!);
    const updated = [...this.touched].filter(([id]) => !this.opened.has(id));
    if (created.length > 0) {
      statement.add('new_wallets', `insert into ${schema}.wallets (id, type, currency, metadata, created_at, updated_at, version, position)
       select * from unnest(${p.uuid(created, (w) => w.id)}, ${p.text(created, (w) => w.type)}, ${p.text(created, (w) => w.currency)},
         ${p.jsonb(created, (w) => w.metadata)}, ${p.timestamptz(created, (w) => w.createdAt)}, ${p.timestamptz(createdTouches, (t) => t.updatedAt)},
         ${p.int4(createdTouches, (t) => t.version)}, ${p.int8(createdTouches, (t) => t.position)})`);
    }
    if (updated.length > 0) {
      statement.add('touched_wallets', `update ${schema}.wallets w set updated_at = u.updated_at, version = u.version, position = u.position
         from unnest(${p.uuid(updated, ([id]) => id)}, ${p.timestamptz(updated, ([, t]) => t.updatedAt)}, ${p.int4(updated, ([, t]) => t.version)},
           ${p.int8(updated, ([, t]) => t.position)}) as u(id, updated_at, version, position)
        where w.id = u.id`);
    }
  }
}

/** `wallets`: a row per wallet, opened by WalletOpened and stamped by every event of the wallet. */
export const walletsProjection: Projection<WalletEvent> = {
  name: 'wallets',
  handles: WALLET_EVENT_TYPES,
  begin: () => new WalletsBatch(),
};

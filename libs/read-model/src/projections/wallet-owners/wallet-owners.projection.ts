import { type WalletOpened, type WalletOwnerAdded, assertNever } from '@wallet/domain';
import type { BatchStatement } from '../../projector/batch-statement';
import type { ProjectedEvent, Projection, ProjectionBatch } from '../../projector/projection';

type OwnerEvent = WalletOpened | WalletOwnerAdded;

interface OwnerRow {
  readonly walletId: string;
  readonly ownerType: string;
  readonly ownerRef: string;
  readonly createdAt: string;
}

class WalletOwnersBatch implements ProjectionBatch<OwnerEvent> {
  private readonly owners: OwnerRow[] = [];

  fold({ event }: ProjectedEvent<OwnerEvent>): void {
    const walletId = event.data.walletId;
    switch (event.type) {
      case 'WalletOpened':
        for (const { ownerType, ownerRef } of event.data.owners) this.owners.push({ walletId, ownerType, ownerRef, createdAt: event.data.openedAt });
        return;
      case 'WalletOwnerAdded':
        this.owners.push({ walletId, ownerType: event.data.ownerType, ownerRef: event.data.ownerRef, createdAt: event.data.addedAt });
        return;
      default:
        assertNever(event);
    }
  }

  write(statement: BatchStatement): void {
    const { schema, params: p } = statement;
    const owners = this.owners;
    if (owners.length === 0) return;
    statement.add('new_owners', `insert into ${schema}.wallet_owners (wallet_id, owner_type, owner_ref, created_at)
       select * from unnest(${p.uuid(owners, (o) => o.walletId)}, ${p.text(owners, (o) => o.ownerType)}, ${p.text(owners, (o) => o.ownerRef)},
         ${p.timestamptz(owners, (o) => o.createdAt)})
       on conflict do nothing`);
  }
}

/** `wallet_owners`: who may see a wallet, from its opening and every owner added later. */
export const walletOwnersProjection: Projection<OwnerEvent> = {
  name: 'wallet-owners',
  handles: ['WalletOpened', 'WalletOwnerAdded'],
  begin: () => new WalletOwnersBatch(),
};

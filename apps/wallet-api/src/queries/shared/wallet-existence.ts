import { DomainError } from '@wallet/domain';
import { walletExists } from '@wallet/read-model';
import type { Pool } from 'pg';

/**
 * A list under an unknown wallet is a 404, not an empty page. Asked only when a page comes
 * back empty: a page with items already proves the wallet exists.
 */
export async function assertWalletKnown(pool: Pool, walletId: string, pageLength: number): Promise<void> {
  if (pageLength > 0 || (await walletExists(pool, walletId))) return;
  throw new DomainError('WALLET_NOT_FOUND', 'No wallet has this id.');
}

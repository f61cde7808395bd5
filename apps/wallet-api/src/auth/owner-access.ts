import { Inject, Injectable } from '@nestjs/common';
import type { OwnerRef } from '@wallet/access';
import { DomainError } from '@wallet/domain';
import { groupHeldBy, walletHeldBy, walletsHeldBy } from '@wallet/read-model';
import { PG_POOL } from '@wallet/postgres';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { isUuid } from '../http/id.pipe';


/**
 * What an owner-scoped key may read: wallets its owner holds, and groups all of whose legs
 * are on such wallets. Anything else answers exactly as if it did not exist (404), so a key
 * learns nothing about other owners' wallets. Writes are checked by the domain on the
 * wallet's own state (see `actingFor`).
 */
@Injectable()
export class OwnerAccess {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Throws the route's 404 when the request's wallet or group is not the caller owner's. */
  async assertMayRead(request: FastifyRequest): Promise<void> {
    const owner = request.caller?.owner;
    if (!owner) return;
    const { walletId, groupId } = request.params as { walletId?: string; groupId?: string };
    if (walletId !== undefined && !(isUuid(walletId) && (await walletHeldBy(this.pool, walletId.toLowerCase(), owner)))) {
      throw new DomainError('WALLET_NOT_FOUND', 'No wallet has this id.');
    }
    if (groupId !== undefined && !(isUuid(groupId) && (await groupHeldBy(this.pool, groupId.toLowerCase(), owner)))) {
      throw new DomainError('GROUP_NOT_FOUND', 'No group has this id.');
    }
  }

  /** Which of these wallets the owner holds. */
  held(walletIds: readonly string[], owner: OwnerRef): Promise<Set<string>> {
    return walletsHeldBy(this.pool, walletIds, owner);
  }
}

import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError, type DomainErrorCode } from '@wallet/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when a path id is a UUID (of any case); anything else names nothing. */
export const isUuid = (id: string): boolean => UUID.test(id);

/** An id in a path that is not a UUID names nothing: 404, without touching the store. */
abstract class IdPipe implements PipeTransform<string, string> {
  protected abstract readonly notFound: DomainErrorCode;
  protected abstract readonly what: string;

  transform(id: string): string {
    if (!isUuid(id)) throw new DomainError(this.notFound, `No ${this.what} has this id.`);
    return id.toLowerCase();
  }
}

@Injectable()
export class WalletIdPipe extends IdPipe {
  protected readonly notFound = 'WALLET_NOT_FOUND';
  protected readonly what = 'wallet';
}

@Injectable()
export class TransactionIdPipe extends IdPipe {
  protected readonly notFound = 'TRANSACTION_NOT_FOUND';
  protected readonly what = 'transaction';
}

@Injectable()
export class GroupIdPipe extends IdPipe {
  protected readonly notFound = 'GROUP_NOT_FOUND';
  protected readonly what = 'transaction group';
}

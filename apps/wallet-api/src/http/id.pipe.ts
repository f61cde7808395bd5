import { Injectable, NotFoundException, type PipeTransform } from '@nestjs/common';
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
  static readonly parameter = 'walletId';
  protected readonly notFound = 'WALLET_NOT_FOUND';
  protected readonly what = 'wallet';
}

@Injectable()
export class TransactionIdPipe extends IdPipe {
  static readonly parameter = 'transactionId';
  protected readonly notFound = 'TRANSACTION_NOT_FOUND';
  protected readonly what = 'transaction';
}

@Injectable()
export class GroupIdPipe extends IdPipe {
  static readonly parameter = 'groupId';
  protected readonly notFound = 'GROUP_NOT_FOUND';
  protected readonly what = 'transaction group';
}

@Injectable()
export class WebhookEndpointIdPipe extends IdPipe {
  static readonly parameter = 'endpointId';
  protected readonly notFound = 'WEBHOOK_ENDPOINT_NOT_FOUND';
  protected readonly what = 'webhook endpoint';
}

/** An API key's id: not a UUID, or no such key, is a plain 404 (keys are no domain object). */
@Injectable()
export class ApiKeyIdPipe implements PipeTransform<string, string> {
  static readonly parameter = 'keyId';

  transform(id: string): string {
    if (!isUuid(id)) throw new NotFoundException('No API key has this id.');
    return id.toLowerCase();
  }
}

/** The path parameters the pipes above read: the OpenAPI document gives them format uuid. */
export const UUID_PATH_PARAMETERS: ReadonlySet<string> = new Set([WalletIdPipe, TransactionIdPipe, GroupIdPipe, WebhookEndpointIdPipe, ApiKeyIdPipe].map((pipe) => pipe.parameter));

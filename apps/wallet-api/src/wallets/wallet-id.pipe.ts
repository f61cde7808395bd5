import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainError } from '@wallet/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A wallet id in a path that is not a UUID names no wallet: 404, without touching the store. */
@Injectable()
export class WalletIdPipe implements PipeTransform<string, string> {
  transform(walletId: string): string {
    if (!UUID.test(walletId)) throw new DomainError('WALLET_NOT_FOUND', 'No wallet has this id.');
    return walletId.toLowerCase();
  }
}

/** Likewise for transaction ids: one that is not a UUID names no transaction. */
@Injectable()
export class TransactionIdPipe implements PipeTransform<string, string> {
  transform(transactionId: string): string {
    if (!UUID.test(transactionId)) throw new DomainError('TRANSACTION_NOT_FOUND', 'No transaction has this id.');
    return transactionId.toLowerCase();
  }
}

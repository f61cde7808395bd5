import { v7 as uuidv7 } from 'uuid';
import type { RejectTransactionBody } from '../http/reject-body.dto';
import type { CommandContext } from '../write-path/command-context';
import { AddWalletOwnerCommand, OpenWalletCommand, RecordTransactionCommand, SettleTransactionCommand } from './cqrs';
import type { RecordTransactionDto } from './dto/transaction.dto';
import type { AddOwnerDto, CreateWalletDto } from './dto/wallet.dto';

/*
 * Where a wallet request becomes a command: the validated body and path, with the ids the
 * service gives, as the domain command its handler runs. What the runner adds (the moment
 * and the caller's owner) is left out, so every route maps its request here and nowhere else.
 */

export function toOpenWalletCommand(body: CreateWalletDto, context: CommandContext): OpenWalletCommand {
  const { type: walletType, currency, owners = [], metadata = {} } = body;
  return new OpenWalletCommand({ type: 'OpenWallet', walletId: uuidv7(), walletType, currency, owners, metadata }, context);
}

export function toAddWalletOwnerCommand(walletId: string, body: AddOwnerDto, context: CommandContext): AddWalletOwnerCommand {
  return new AddWalletOwnerCommand({ type: 'AddWalletOwner', walletId, ownerType: body.ownerType, ownerRef: body.ownerRef }, context);
}

export function toRecordTransactionCommand(walletId: string, body: RecordTransactionDto, context: CommandContext): RecordTransactionCommand {
  return new RecordTransactionCommand(
    {
      type: 'RecordTransaction',
      walletId,
      transactionId: uuidv7(),
      transactionType: body.type,
      amountMinor: BigInt(body.amount),
      description: body.description ?? null,
      metadata: body.metadata ?? {},
      pending: body.pending ?? false,
      expiresAt: body.expiresAt === undefined ? null : new Date(body.expiresAt),
    },
    context,
  );
}

export function toConfirmTransactionCommand(walletId: string, transactionId: string, context: CommandContext): SettleTransactionCommand {
  return new SettleTransactionCommand({ type: 'ConfirmTransaction', walletId, transactionId }, context);
}

export function toRejectTransactionCommand(walletId: string, transactionId: string, body: RejectTransactionBody, context: CommandContext): SettleTransactionCommand {
  return new SettleTransactionCommand({ type: 'RejectTransaction', walletId, transactionId, reason: body?.reason ?? null }, context);
}

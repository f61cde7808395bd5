import { v7 as uuidv7 } from 'uuid';
import type { RejectTransactionBody } from '../http/reject-body.dto';
import type { CommandContext } from '../write-path/command-context';
import { toOverdraftLimit } from '../http/request-fields.schema';
import {
  AddWalletOwnerCommand,
  IncreaseHoldCommand,
  OpenWalletCommand,
  RecordTransactionCommand,
  ReverseTransactionCommand,
  SetOverdraftLimitCommand,
  SettleTransactionCommand,
} from './cqrs';
import type { ConfirmTransactionBody, IncreaseHoldDto, RecordTransactionDto, ReverseTransactionBody } from './dto/transaction.dto';
import type { AddOwnerDto, CreateWalletDto, SetOverdraftLimitDto } from './dto/wallet.dto';

/*
 * Where a wallet request becomes a command: the validated body and path, with the ids the
 * service gives, as the domain command its handler runs. What the runner adds (the moment
 * and the caller's owner) is left out, so every route maps its request here and nowhere else.
 */

export function toOpenWalletCommand(body: CreateWalletDto, context: CommandContext): OpenWalletCommand {
  const { type: walletType, currency, owners = [], metadata = {} } = body;
  const overdraftLimit = toOverdraftLimit(body.overdraftLimit ?? '0');
  return new OpenWalletCommand({ type: 'OpenWallet', walletId: uuidv7(), walletType, currency, owners, metadata, overdraftLimit }, context);
}

export function toSetOverdraftLimitCommand(walletId: string, body: SetOverdraftLimitDto, context: CommandContext): SetOverdraftLimitCommand {
  return new SetOverdraftLimitCommand({ type: 'SetOverdraftLimit', walletId, overdraftLimit: toOverdraftLimit(body.overdraftLimit) }, context);
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
      reference: body.reference ?? null,
    },
    context,
  );
}

/** No body, or no amount: capture all that is held. `final` defaults to true in the domain. */
export function toConfirmTransactionCommand(walletId: string, transactionId: string, body: ConfirmTransactionBody, context: CommandContext): SettleTransactionCommand {
  const amountMinor = body?.amount === undefined ? null : BigInt(body.amount);
  return new SettleTransactionCommand({ type: 'ConfirmTransaction', walletId, transactionId, amountMinor, final: body?.final ?? true }, context);
}

export function toIncreaseHoldCommand(walletId: string, transactionId: string, body: IncreaseHoldDto, context: CommandContext): IncreaseHoldCommand {
  return new IncreaseHoldCommand({ type: 'IncreaseHold', walletId, transactionId, amountMinor: BigInt(body.amount) }, context);
}

/** The reversal is a new transaction under an id of its own; no amount means all that is left. */
export function toReverseTransactionCommand(walletId: string, transactionId: string, body: ReverseTransactionBody, context: CommandContext): ReverseTransactionCommand {
  return new ReverseTransactionCommand(
    {
      type: 'ReverseTransaction',
      walletId,
      transactionId,
      reversalId: uuidv7(),
      amountMinor: body?.amount === undefined ? null : BigInt(body.amount),
      reason: body?.reason ?? null,
      metadata: body?.metadata ?? {},
      reference: body?.reference ?? null,
    },
    context,
  );
}

export function toRejectTransactionCommand(walletId: string, transactionId: string, body: RejectTransactionBody, context: CommandContext): SettleTransactionCommand {
  return new SettleTransactionCommand({ type: 'RejectTransaction', walletId, transactionId, reason: body?.reason ?? null }, context);
}

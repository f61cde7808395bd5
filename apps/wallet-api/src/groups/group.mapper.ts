import { GROUP_LEGS_MAX, type GroupLegRequest, type RecordGroup } from '@wallet/domain';
import { v7 as uuidv7 } from 'uuid';
import type { RejectTransactionBody } from '../http/reject-body.dto';
import type { CommandContext, Unstamped } from '../write-path/command-context';
import { RecordGroupCommand, ReverseGroupCommand, SettleGroupCommand } from './cqrs';
import type { RecordGroupDto, ReverseGroupBody, TransferDto } from './dto/group.dto';

/*
 * Where a group request becomes a command, as wallet.mapper.ts does for wallets: the validated
 * body and path, with the ids the service gives, as the domain command its handler runs.
 * What the runner adds (the moment and the caller's owner) is left out.
 */

export function toRecordGroupCommand(body: RecordGroupDto, context: CommandContext): RecordGroupCommand {
  const legs = body.transactions.map(
    (leg): GroupLegRequest => ({
      walletId: leg.walletId.toLowerCase(),
      transactionId: uuidv7(),
      transactionType: leg.type,
      amountMinor: BigInt(leg.amount),
      description: leg.description ?? null,
    }),
  );
  const expiresAt = body.expiresAt === undefined ? null : new Date(body.expiresAt);
  const { description = null, metadata = {}, reference = null } = body;
  return recordGroup({ legs, pending: body.pending ?? false, expiresAt, description, metadata, reference }, context);
}

/** A transfer is a two-leg group: a debit from one wallet, a credit to the other. */
export function toTransferCommand(body: TransferDto, context: CommandContext): RecordGroupCommand {
  const amountMinor = BigInt(body.amount);
  const description = body.description ?? null;
  const legs: GroupLegRequest[] = [
    { walletId: body.fromWalletId.toLowerCase(), transactionId: uuidv7(), transactionType: 'debit', amountMinor, description },
    { walletId: body.toWalletId.toLowerCase(), transactionId: uuidv7(), transactionType: 'credit', amountMinor, description },
  ];
  return recordGroup({ legs, pending: body.pending ?? false, expiresAt: null, description, metadata: {}, reference: body.reference ?? null }, context);
}

export function toConfirmGroupCommand(groupId: string, context: CommandContext): SettleGroupCommand {
  return new SettleGroupCommand({ type: 'ConfirmGroup', groupId }, context);
}

export function toRejectGroupCommand(groupId: string, body: RejectTransactionBody, context: CommandContext): SettleGroupCommand {
  return new SettleGroupCommand({ type: 'RejectGroup', groupId, reason: body?.reason ?? null }, context);
}

/**
 * The group's legs are known only once its state is loaded, so the command carries a fresh id
 * for as many legs as a group may have; the domain takes one a leg, in leg order.
 */
export function toReverseGroupCommand(groupId: string, body: ReverseGroupBody, context: CommandContext): ReverseGroupCommand {
  const reversalTransactionIds = Array.from({ length: GROUP_LEGS_MAX }, () => uuidv7());
  const reversal = { reversalGroupId: uuidv7(), reversalTransactionIds, reason: body?.reason ?? null, reference: body?.reference ?? null };
  return new ReverseGroupCommand({ type: 'ReverseGroup', groupId, ...reversal }, context);
}

/** The RecordGroup command of a new group, under an id of its own. */
function recordGroup(group: Omit<Unstamped<RecordGroup>, 'type' | 'groupId'>, context: CommandContext): RecordGroupCommand {
  return new RecordGroupCommand({ type: 'RecordGroup', groupId: uuidv7(), ...group }, context);
}

import { z } from 'zod';
import { amountOut, apiSchemas, idOut, metadataOut, minorOut, pageSchema, portionOut, positionOut, timestampOut } from './api-schemas';
import { type Balance, type BalanceTotals, type Metadata, type OverdraftLimit, type TransactionSnapshot, type WalletState, balanceOf } from '@wallet/domain';

/** Wire shapes of the API: money and positions as strings, never JSON numbers. */
export const balanceSchema = z
  .strictObject({
    ledger: minorOut.describe('Confirmed credits minus confirmed debits'),
    available: minorOut.describe('ledger minus pendingDebits'),
    pendingDebits: minorOut,
    pendingCredits: minorOut,
  })
  .register(apiSchemas, { id: 'Balance' });

export const walletSchema = z
  .strictObject({
    id: idOut,
    type: z.string(),
    currency: z.string().regex(/^[A-Z]{3}$/).describe('ISO 4217 alphabetic code'),
    owners: z.array(z.strictObject({ ownerType: z.string(), ownerRef: z.string(), createdAt: timestampOut })),
    metadata: metadataOut,
    createdAt: timestampOut,
    updatedAt: timestampOut,
    version: z.int().min(0).describe("The wallet stream's revision"),
    overdraftLimit: z
      .string()
      .regex(/^(0|[1-9][0-9]*|unlimited)$/)
      .describe('How far available may drop below 0, in minor units as a string; "unlimited" for a system wallet'),
    balance: balanceSchema,
  })
  .register(apiSchemas, { id: 'Wallet' });

export const transactionSchema = z
  .strictObject({
    id: idOut,
    walletId: idOut,
    type: z.enum(['credit', 'debit']),
    amount: amountOut.describe('What was authorised, after increases: heldAmount + capturedAmount + releasedAmount'),
    heldAmount: portionOut.describe('What a pending transaction still holds'),
    capturedAmount: portionOut.describe('What was captured: the whole amount of a transaction recorded confirmed'),
    releasedAmount: portionOut.describe('What a hold gave back uncaptured: by a final capture, a reject or its expiry'),
    reversedAmount: portionOut.describe('What later reversals gave back, at most capturedAmount'),
    status: z.enum(['pending', 'confirmed', 'rejected']),
    description: z.string().nullable(),
    metadata: metadataOut,
    reference: z.string().nullable().describe("The caller's own id for it, unique in the wallet; null on group legs and when none was given"),
    reversalOf: idOut.nullable().describe('The transaction this one reverses, on the same wallet'),
    groupId: idOut.nullable(),
    holdTimestamp: timestampOut.nullable(),
    confirmRejectTimestamp: timestampOut.nullable(),
    rejectReason: z.string().nullable(),
    expiresAt: timestampOut.nullable(),
    position: positionOut.describe('The position of the event that last changed it'),
    createdAt: timestampOut,
    archived: z.boolean(),
  })
  .register(apiSchemas, { id: 'Transaction' });

export const transactionResultSchema = z
  .strictObject({ transaction: transactionSchema, balance: balanceSchema, position: positionOut.describe('The position of the last event the command appended') })
  .register(apiSchemas, { id: 'TransactionResult' });

export const walletPageSchema = pageSchema(walletSchema, 'WalletPage');
export const transactionPageSchema = pageSchema(transactionSchema, 'TransactionPage');

export type BalanceView = z.infer<typeof balanceSchema>;
export type WalletView = z.infer<typeof walletSchema>;
export type TransactionView = z.infer<typeof transactionSchema>;
export type TransactionResultView = z.infer<typeof transactionResultSchema>;

export function toBalanceView(balance: Balance): BalanceView {
  return {
    ledger: balance.ledgerMinor.toString(),
    available: balance.availableMinor.toString(),
    pendingDebits: balance.pendingDebitsMinor.toString(),
    pendingCredits: balance.pendingCreditsMinor.toString(),
  };
}

/** What a wallet view is made of, from a folded state or from the read model. */
export interface WalletSource {
  readonly id: string;
  readonly type: string;
  readonly currency: string;
  readonly owners: readonly { readonly ownerType: string; readonly ownerRef: string; readonly createdAt: string }[];
  readonly metadata: Metadata;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  readonly overdraftLimit: OverdraftLimit;
  readonly balance: BalanceTotals;
}

export function toWalletView(state: WalletState): WalletView {
  return presentWallet({
    id: state.walletId,
    type: state.walletType,
    currency: state.currency,
    owners: state.owners.map(({ ownerType, ownerRef, addedAt }) => ({ ownerType, ownerRef, createdAt: addedAt })),
    metadata: state.metadata,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    version: state.version,
    overdraftLimit: state.overdraftLimit,
    balance: state,
  });
}

/** The Wallet of API.md, the same for command answers and queries. */
export function presentWallet(wallet: WalletSource): WalletView {
  return {
    id: wallet.id,
    type: wallet.type,
    currency: wallet.currency,
    owners: wallet.owners.map(({ ownerType, ownerRef, createdAt }) => ({ ownerType, ownerRef, createdAt })),
    metadata: { ...wallet.metadata },
    createdAt: wallet.createdAt,
    updatedAt: wallet.updatedAt,
    version: wallet.version,
    overdraftLimit: wallet.overdraftLimit.toString(),
    balance: toBalanceView(balanceOf(wallet.balance)),
  };
}

/** The Transaction of API.md; `archived` for one read from the archive table. */
export function toTransactionView(transaction: TransactionSnapshot, position: bigint, archived = false): TransactionView {
  return {
    id: transaction.transactionId,
    walletId: transaction.walletId,
    type: transaction.transactionType,
    amount: transaction.amountMinor.toString(),
    heldAmount: transaction.heldMinor.toString(),
    capturedAmount: transaction.capturedMinor.toString(),
    releasedAmount: transaction.releasedMinor.toString(),
    reversedAmount: transaction.reversedMinor.toString(),
    status: transaction.status,
    description: transaction.description,
    metadata: { ...transaction.metadata },
    reference: transaction.reference,
    reversalOf: transaction.reversalOf,
    groupId: transaction.groupId,
    holdTimestamp: transaction.holdTimestamp,
    confirmRejectTimestamp: transaction.confirmRejectTimestamp,
    rejectReason: transaction.rejectReason,
    expiresAt: transaction.expiresAt,
    position: position.toString(),
    createdAt: transaction.createdAt,
    archived,
  };
}

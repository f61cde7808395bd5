import { AddWalletOwnerHandler } from './add-wallet-owner.handler';
import { IncreaseHoldHandler } from './increase-hold.handler';
import { OpenWalletHandler } from './open-wallet.handler';
import { RecordTransactionHandler } from './record-transaction.handler';
import { ReverseTransactionHandler } from './reverse-transaction.handler';
import { SetOverdraftLimitHandler } from './set-overdraft-limit.handler';
import { SettleTransactionHandler } from './settle-transaction.handler';

export const walletCommandHandlers = [
  OpenWalletHandler,
  AddWalletOwnerHandler,
  SetOverdraftLimitHandler,
  RecordTransactionHandler,
  SettleTransactionHandler,
  IncreaseHoldHandler,
  ReverseTransactionHandler,
];

export { AddWalletOwnerCommand } from './add-wallet-owner.command';
export { IncreaseHoldCommand } from './increase-hold.command';
export { OpenWalletCommand } from './open-wallet.command';
export { RecordTransactionCommand } from './record-transaction.command';
export { ReverseTransactionCommand } from './reverse-transaction.command';
export { SetOverdraftLimitCommand } from './set-overdraft-limit.command';
export { SettleTransactionCommand } from './settle-transaction.command';

import { AddWalletOwnerHandler } from './add-wallet-owner.handler';
import { OpenWalletHandler } from './open-wallet.handler';
import { RecordTransactionHandler } from './record-transaction.handler';
import { SettleTransactionHandler } from './settle-transaction.handler';

export const walletCommandHandlers = [OpenWalletHandler, AddWalletOwnerHandler, RecordTransactionHandler, SettleTransactionHandler];

export { AddWalletOwnerCommand } from './add-wallet-owner.command';
export { OpenWalletCommand } from './open-wallet.command';
export { RecordTransactionCommand } from './record-transaction.command';
export { SettleTransactionCommand } from './settle-transaction.command';

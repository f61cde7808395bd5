import type { Provider, Type } from '@nestjs/common';
import { BalanceController } from './balance/balance.controller';
import { BalanceAtHandler } from './balance/balance-at.handler';
import { GetGroupHandler } from './groups/get-group.handler';
import { ListGroupsHandler } from './groups/list-groups.handler';
import { GroupQueriesController } from './groups/group-queries.controller';
import { PointInTimeBalance } from './balance/point-in-time-balance.service';
import { ReadModelInterceptor } from './read-model/read-model.interceptor';
import { ListSnapshotsHandler } from './snapshots/list-snapshots.handler';
import { SnapshotsController } from './snapshots/snapshots.controller';
import { GetTransactionHandler } from './transactions/get-transaction.handler';
import { ListTransactionsHandler } from './transactions/list-transactions.handler';
import { TransactionQueriesController } from './transactions/transaction-queries.controller';
import { SearchTransactionsHandler } from './transactions/search-transactions.handler';
import { TransactionSearchController } from './transactions/transaction-search.controller';
import { GetWalletHandler } from './wallets/get-wallet.handler';
import { ListWalletsHandler } from './wallets/list-wallets.handler';
import { WalletQueriesController } from './wallets/wallet-queries.controller';
import { TotalsController } from './totals/totals.controller';
import { TotalsHandler } from './totals/totals.handler';

/** Controllers of the GET routes (read side). */
export const queryControllers: Type[] = [WalletQueriesController, TransactionQueriesController, TransactionSearchController, SnapshotsController, BalanceController, GroupQueriesController, TotalsController];

/** Query handlers and the services they share. */
export const queryProviders: Provider[] = [
  ReadModelInterceptor,
  PointInTimeBalance,
  GetWalletHandler,
  ListWalletsHandler,
  GetTransactionHandler,
  ListTransactionsHandler,
  SearchTransactionsHandler,
  ListSnapshotsHandler,
  BalanceAtHandler,
  GetGroupHandler,
  TotalsHandler,
  ListGroupsHandler,
];

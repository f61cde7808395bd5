import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ZodValidationPipe } from 'nestjs-zod';
import { HealthController } from './health/health.controller';
import { ReadinessProbe } from './health/readiness-probe';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { ReadModelGate } from './http/read-model-gate.service';
import { IdempotencyPurger } from './idempotency/idempotency-purger';
import { CoreModule, type CoreOptions } from '@wallet/config';
import { ArchiveScheduler, ProjectorService } from '@wallet/read-model';
import { DatabaseModule } from '@wallet/database';
import { WebhookDeliveryService, WebhookEndpointStore } from '@wallet/webhooks';
import { PG_POOL } from '@wallet/postgres';
import type { Pool } from 'pg';
import { walletCommandHandlers } from './wallets/cqrs';
import { TransactionsController } from './wallets/transactions.controller';
import { WalletCommandRunner } from './write-path/wallet-command-runner';
import { WalletStates } from './write-path/wallet-states';
import { GroupsController } from './groups/groups.controller';
import { groupCommandHandlers } from './groups/cqrs';
import { GroupCommandRunner } from './write-path/group-command-runner';
import { GroupStates } from './write-path/group-states';
import { GroupTurnStates } from './write-path/group-turn-states';
import { HoldExpiryService } from './expiry/hold-expiry.service';
import { EventsController } from './feed/events.controller';
import { EventStreams } from './feed/event-streams.service';
import { OwnerFeed } from './feed/owner-feed';
import { CommandExecutor } from './write-path/command-executor';
import { KeyedSerialQueue } from './write-path/keyed-serial-queue';
import { WalletsController } from './wallets/wallets.controller';
import { MetricsModule } from './metrics/metrics.module';
import { queryControllers, queryProviders } from './queries';
import { Authenticator } from './auth/authenticator';
import { OwnerAccess } from './auth/owner-access';
import { AdminKeyBootstrap } from './auth/admin-key.bootstrap';
import { ApiKeysController } from './auth/api-keys.controller';
import { WebhookEndpointsController } from './webhooks/webhook-endpoints.controller';

@Module({})
export class AppModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(options), DatabaseModule, CqrsModule.forRoot(), MetricsModule],
      controllers: [ApiKeysController, WalletsController, TransactionsController, GroupsController, EventsController, WebhookEndpointsController, HealthController, ...queryControllers],
      providers: [
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        IdempotencyPurger,
        ReadinessProbe,
        Authenticator,
        OwnerAccess,
        // Read-your-writes for the queries and the owner-scoped feed alike.
        ReadModelGate,
        AdminKeyBootstrap,
        KeyedSerialQueue,
        CommandExecutor,
        WalletStates,
        WalletCommandRunner,
        GroupStates,
        GroupTurnStates,
        GroupCommandRunner,
        ...groupCommandHandlers,
        HoldExpiryService,
        EventStreams,
        OwnerFeed,
        { provide: WebhookEndpointStore, useFactory: (pool: Pool) => new WebhookEndpointStore(pool), inject: [PG_POOL] },
        ...walletCommandHandlers,
        ...queryProviders,
        // npm start runs the projector (and webhook delivery) beside the API; PROJECTOR_IN_PROCESS=false leaves them to their own process.
        ...(options.config.PROJECTOR_IN_PROCESS ? [ProjectorService, ArchiveScheduler, WebhookDeliveryService] : []),
      ],
    };
  }
}

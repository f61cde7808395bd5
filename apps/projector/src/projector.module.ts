import { type DynamicModule, Module } from '@nestjs/common';
import { CoreModule, type CoreOptions } from '@wallet/config';
import { ArchiveScheduler, PROJECTOR_BATCH_LISTENER, ProjectorService } from '@wallet/read-model';
import { DatabaseModule } from '@wallet/database';
import { WebhookDeliveryService } from '@wallet/webhooks';

/** The projection worker alone: configuration, database, the projector, the archive and webhook delivery. */
@Module({})
export class ProjectorModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [CoreModule.forRoot(options), DatabaseModule],
      providers: [ProjectorService, ArchiveScheduler, WebhookDeliveryService, { provide: PROJECTOR_BATCH_LISTENER, useValue: () => undefined }],
    };
  }
}

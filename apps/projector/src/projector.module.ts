import { type DynamicModule, Module } from '@nestjs/common';
import { CoreModule, type CoreOptions } from '@wallet/config';
import { ArchiveScheduler, PROJECTOR_BATCH_LISTENER, ProjectorService } from '@wallet/read-model';
import { DatabaseModule } from '@wallet/database';

/** The projection worker alone: configuration, database, the projector and the archive. */
@Module({})
export class ProjectorModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [CoreModule.forRoot(options), DatabaseModule],
      providers: [ProjectorService, ArchiveScheduler, { provide: PROJECTOR_BATCH_LISTENER, useValue: () => undefined }],
    };
  }
}

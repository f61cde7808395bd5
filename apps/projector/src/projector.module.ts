import { type DynamicModule, Module } from '@nestjs/common';
import { CoreModule, type CoreOptions } from '@wallet/config';
import { DatabaseModule, PROJECTOR_BATCH_LISTENER, ProjectorService } from '@wallet/read-model';

/** The projection worker alone: configuration, database, and the projector. */
@Module({})
export class ProjectorModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [CoreModule.forRoot(options), DatabaseModule],
      providers: [ProjectorService, { provide: PROJECTOR_BATCH_LISTENER, useValue: () => undefined }],
    };
  }
}

import { Global, Module } from '@nestjs/common';
import { PROJECTOR_BATCH_LISTENER, type ProjectorBatchListener } from '@wallet/read-model';

const noBatchListener: ProjectorBatchListener = () => undefined;

/** Prometheus metrics at /metrics. */
@Global()
@Module({
  providers: [{ provide: PROJECTOR_BATCH_LISTENER, useValue: noBatchListener }],
  exports: [PROJECTOR_BATCH_LISTENER],
})
export class MetricsModule {}

import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PROJECTOR_BATCH_LISTENER, type ProjectorBatchListener, ProjectorState } from '@wallet/read-model';
import type { FastifyInstance } from 'fastify';
import { MetricsController } from './metrics.controller';
import { WalletMetrics } from './wallet-metrics';

/**
 * Prometheus metrics at /metrics; the projector reports each committed batch here, and its
 * halt in ProjectorState (shared with /health/ready, so global).
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    ProjectorState,
    WalletMetrics,
    {
      provide: PROJECTOR_BATCH_LISTENER,
      inject: [WalletMetrics],
      useFactory: (metrics: WalletMetrics): ProjectorBatchListener => (events) => metrics.observeBatch(events),
    },
  ],
  exports: [PROJECTOR_BATCH_LISTENER, ProjectorState],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: WalletMetrics,
  ) {}

  /** Times every request, matched or not, once its response is sent. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('onResponse', (request, reply, done) => {
      this.metrics.observeRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime);
      done();
    });
  }
}

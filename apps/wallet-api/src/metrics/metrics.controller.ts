import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlainAnswer } from '../http/api-answers.decorator';
import { Registry } from 'prom-client';
import { WalletMetrics } from './wallet-metrics';
import { PublicRoute } from '../auth/route-access.decorator';

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: WalletMetrics) {}

  @Get()
  @PublicRoute('METRICS_PUBLIC')
  @Header('content-type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({ summary: 'Prometheus metrics: HTTP latency, projector batches and lag, Node.js process' })
  // The media type exactly as sent: its version parameter names the exposition format.
  @PlainAnswer(200, { mediaType: Registry.PROMETHEUS_CONTENT_TYPE, description: 'Prometheus text exposition format 0.0.4' })
  scrape(): Promise<string> {
    return this.metrics.scrape();
  }
}

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AppConfig, loadConfig } from '@wallet/config';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../../apps/wallet-api/src/app.module';
import { buildOpenApiDocument } from '../../apps/wallet-api/src/http/openapi';

/**
 * The OpenAPI document as the service builds it, without a database: the Nest application
 * is created but never initialised or started, so nothing connects.
 */
export async function openApiDocumentOffline(env: Record<string, string> = {}): Promise<OpenAPIObject> {
  const databaseUrl = 'postgres://unused@127.0.0.1:1/unused';
  const config: AppConfig = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, PROJECTOR_IN_PROCESS: 'false', ...env });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ config, databaseUrl }), new FastifyAdapter(), { logger: false });
  try {
    return buildOpenApiDocument(app, config);
  } finally {
    await app.close();
  }
}

import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';

/** Serves the OpenAPI UI at /docs and the OpenAPI 3 document at /docs/json. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Wallet service')
    .setDescription(
      'Event-sourced wallets: credits, debits, holds and balances. Money is integer minor units as a ' +
        'decimal string. Errors are RFC 9457 problem documents with a stable `code`. Every POST accepts ' +
        'an Idempotency-Key. Every /v1 route needs an API key: `Authorization: Bearer <key>`; missing or ' +
        'invalid: 401 UNAUTHENTICATED, without the route\'s scope: 403 FORBIDDEN, over the key\'s rate: 429 RATE_LIMITED.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key (wsk_...) with the scope the route names' }, 'apiKey')
    .addSecurityRequirements('apiKey')
    .build();
  const document = cleanupOpenApiDoc(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json', useGlobalPrefix: false });
}

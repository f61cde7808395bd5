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
        'an Idempotency-Key.',
    )
    .setVersion('1')
    .build();
  const document = cleanupOpenApiDoc(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json', useGlobalPrefix: false });
}

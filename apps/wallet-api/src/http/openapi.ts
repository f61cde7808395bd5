import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@wallet/config';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { z } from 'zod';
import { ANSWERS_EXTENSION, type AnswerSpec } from './api-answers.decorator';
import { apiSchemas } from './api-schemas';
import { UUID_PATH_PARAMETERS } from './id.pipe';
import { ACCESS_EXTENSION, type DocumentedAccess, PUBLIC, routeNeeds } from '../auth/route-access.decorator';
import { OPENAPI_COMPONENTS, problemResponse, successResponse } from './openapi-components';
// Every error answer refers to it; no route names it as its success schema.
import './problem.schema';

type Operation = Record<string, unknown> & { responses?: Record<string, unknown>; parameters?: Record<string, unknown>[]; security?: unknown };

const DESCRIPTION =
  'Event-sourced wallets: credits, debits, holds, groups, balances and an event feed. Money is integer minor units ' +
  'as a decimal string. Errors are RFC 9457 problem documents (application/problem+json) with a stable `code`. ' +
  'Every POST that changes state accepts an Idempotency-Key. Routes marked with a security requirement need an API key: ' +
  '`Authorization: Bearer wsk_...`. What a request gets before it reaches an operation is in components.responses: ' +
  'Unauthenticated (401) without a valid key, NotFound (404) for a path no route has, MethodNotAllowed (405, with `Allow`) for a method ' +
  'a path does not take, BadRequestTarget (400) and UriTooLong (414) for a request target the router refuses, HeadersTooLarge (431) ' +
  'for headers the HTTP server will not read, RequestTimeout (408) for a request that does not arrive in time, ServiceUnavailable (503, with ' +
  '`Retry-After`) when the process is at its in-flight limit or shutting down.';

/** Serves the OpenAPI UI at /docs and the OpenAPI 3.1 document at /docs/json. */
export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app, config), { jsonDocumentUrl: 'docs/json', useGlobalPrefix: false });
}

/**
 * The document: Nest's scan of the controllers (paths, request bodies and query strings from
 * the zod DTOs), then each route's answers expanded from its decorators, with the response
 * schemas generated from the same zod schemas the presenters are typed by.
 */
export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Wallet service')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addServer('/', 'This service')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque API key (wsk_...)', description: 'An API key (wsk_...) with the scope the route names' }, 'apiKey')
    .build();
  const document = cleanupOpenApiDoc(SwaggerModule.createDocument(app, builder), { version: '3.1' });
  const components = document.components ?? {};
  document.components = { ...components, ...OPENAPI_COMPONENTS, schemas: { ...components.schemas, ...responseSchemas() }, securitySchemes: components.securitySchemes };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Operation[]) describeOperation(operation, config);
  }
  return document;
}

/** The registry's schemas as components, referring to one another by name. */
function responseSchemas(): Record<string, object> {
  const { schemas } = z.toJSONSchema(apiSchemas, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema]));
}

function describeOperation(operation: Operation, config: AppConfig): void {
  const spec = operation[ANSWERS_EXTENSION] as AnswerSpec | undefined;
  const access = operation[ACCESS_EXTENSION] as DocumentedAccess | undefined;
  delete operation[ANSWERS_EXTENSION];
  delete operation[ACCESS_EXTENSION];
  if (!spec) throw new Error(`Operation ${String(operation.operationId)} does not say what it answers.`);
  // As AuthenticationHooks decides: a route that declares no access needs an admin key.
  const secured = routeNeeds(access ?? {}, config) !== PUBLIC;
  const problems = { ...spec.problems };
  if (secured) {
    operation.security = [{ apiKey: [] }];
    problems[403] = ['FORBIDDEN'];
    problems[429] = [...new Set([...(problems[429] ?? []), 'RATE_LIMITED'])];
  } else operation.security = [];
  const responses: Record<string, unknown> = { [spec.status]: successResponse(spec) };
  for (const [status, codes] of Object.entries(problems)) responses[status] = problemResponse(Number(status), codes ?? [], spec);
  // The key is checked before anything else runs, so the answer is the same on every route.
  if (secured) responses[401] = { $ref: '#/components/responses/Unauthenticated' };
  operation.responses = responses;
  operation.parameters = [...(operation.parameters ?? []).map(describeParameter), ...(spec.idempotent ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []), ...(spec.stream ? [{ $ref: '#/components/parameters/LastEventId' }] : [])];
}

function describeParameter(parameter: Record<string, unknown>): Record<string, unknown> {
  if (parameter.in === 'path' && UUID_PATH_PARAMETERS.has(parameter.name as string)) return { ...parameter, schema: { type: 'string', format: 'uuid' } };
  // The scan lifts a record's key schema (a deepObject query parameter such as metadata[key])
  // out of the parameter's schema, where OpenAPI has no such field: it goes back in.
  const { propertyNames, ...rest } = parameter;
  if (propertyNames !== undefined) return { ...rest, schema: { ...(rest.schema as object), propertyNames } };
  return parameter;
}

import type { OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import type { AnswerSpec } from './api-answers.decorator';
import { positionOut } from './api-schemas';
import { isStoredRefusal } from './problem';
import { IDEMPOTENCY_KEY_PATTERN } from '../idempotency/idempotency-key';
import { LAST_EVENT_ID_PATTERN } from '../feed/last-event-id';

type Components = NonNullable<OpenAPIObject['components']>;
type ComponentResponse = NonNullable<Components['responses']>[string];

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** A header's schema from the zod schema the body uses for the same value (its description is the header's own). */
function headerSchema(schema: z.ZodType): object {
  const { $schema: _schema, description: _description, ...json } = z.toJSONSchema(schema);
  return json;
}

/** Headers, parameters and responses the operations refer to by name. */
export const OPENAPI_COMPONENTS: Components = {
  headers: {
    RequestId: { description: "The request's id: the caller's X-Request-Id when it is sane, else one the service made up", schema: { type: 'string' } },
    IdempotencyReplayed: { description: 'true when this is the stored answer to an earlier request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } },
    ReadModelPosition: { description: 'The log position the read model had reached when it answered', schema: headerSchema(positionOut) },
    RetryAfter: { description: 'Seconds to wait before retrying', schema: { type: 'string', pattern: '^[0-9]+$' } },
    WwwAuthenticate: { description: 'The scheme to use (RFC 6750)', schema: { type: 'string' } },
    Allow: { description: 'The methods the path takes', schema: { type: 'string' } },
  },
  parameters: {
    IdempotencyKey: {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Same key and body from the same caller: the first answer again, with Idempotency-Replayed: true, nothing applied twice',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
    },
    LastEventId: {
      name: 'Last-Event-ID',
      in: 'header',
      required: false,
      description: 'The last SSE id (a position) the client received: the stream resumes after it, overriding ?after=',
      schema: { type: 'string', pattern: LAST_EVENT_ID_PATTERN.source },
    },
  },
  // Answers a request gets before it reaches any operation (so no operation lists them).
  responses: {
    Unauthenticated: generalProblem(401, 'UNAUTHENTICATED', 'no valid API key: also the answer to a caller without one for a path that matches no route or a method its path does not take', {
      'WWW-Authenticate': ref('headers', 'WwwAuthenticate'),
    }),
    NotFound: generalProblem(404, 'NOT_FOUND', 'no route has this path'),
    MethodNotAllowed: generalProblem(405, 'METHOD_NOT_ALLOWED', 'the path does not take this method; Allow lists those it takes', { Allow: ref('headers', 'Allow') }),
    BadRequestTarget: generalProblem(400, 'VALIDATION_FAILED', 'the request target is not a valid URL (a malformed percent-escape); answered before routing'),
    UriTooLong: generalProblem(414, 'URI_TOO_LONG', 'a path segment longer than 100 characters where a path parameter goes; answered before routing'),
    HeadersTooLarge: generalProblem(431, 'HEADERS_TOO_LARGE', 'the request headers exceed what the HTTP server reads (16 KiB); answered, whatever the path, before the request is parsed'),
    RequestTimeout: generalProblem(408, 'REQUEST_TIMEOUT', 'the headers and body did not arrive within REQUEST_TIMEOUT_MS of the first byte; answered, whatever the path, by the HTTP server, which then closes the connection (Connection: close)'),
    ServiceUnavailable: generalProblem(
      503,
      'SERVICE_UNAVAILABLE',
      'the process is at MAX_IN_FLIGHT requests, or shutting down (then with Connection: close); answered at arrival, whatever the path, nothing done: retry after Retry-After',
      { 'Retry-After': ref('headers', 'RetryAfter') },
    ),
  },
};

/** The problem schema narrowed to one status and the codes that status may carry. */
function problemSchemaWith(status: number, codes: readonly string[]): object {
  return { allOf: [ref('schemas', 'Problem'), { type: 'object', properties: { status: { const: status }, code: { type: 'string', enum: codes } } }] };
}

/** A problem answer of no one operation, with its one code. */
function generalProblem(status: number, code: string, description: string, headers: Record<string, object> = {}): ComponentResponse {
  return { description: `${code}: ${description}`, headers: { ...headers, 'X-Request-Id': ref('headers', 'RequestId') }, content: { 'application/problem+json': { schema: problemSchemaWith(status, [code]) } } };
}

function commonHeaders(spec: AnswerSpec): Record<string, object> {
  return { 'X-Request-Id': ref('headers', 'RequestId'), ...(spec.readModel ? { 'X-Read-Model-Position': ref('headers', 'ReadModelPosition') } : {}) };
}

export function successResponse(spec: AnswerSpec): object {
  const headers = { ...commonHeaders(spec), ...(spec.idempotent ? { 'Idempotency-Replayed': ref('headers', 'IdempotencyReplayed') } : {}) };
  if (typeof spec.schema !== 'string') return { description: spec.schema.description, headers, content: { [spec.schema.mediaType]: { schema: { type: 'string' } } } };
  return { description: spec.schema, headers, content: { 'application/json': { schema: ref('schemas', spec.schema) } } };
}

export function problemResponse(status: number, codes: readonly string[], spec: AnswerSpec): object {
  const headers: Record<string, object> = { ...commonHeaders(spec) };
  // A refusal of the domain is stored under the Idempotency-Key and replayed like a success.
  if (spec.idempotent && codes.some(isStoredRefusal)) headers['Idempotency-Replayed'] = ref('headers', 'IdempotencyReplayed');
  // 409 IDEMPOTENCY_KEY_IN_PROGRESS says when the running request may be done.
  if (status === 429 || status === 503 || codes.includes('IDEMPOTENCY_KEY_IN_PROGRESS')) headers['Retry-After'] = ref('headers', 'RetryAfter');
  return { description: codes.join(', '), headers, content: { 'application/problem+json': { schema: problemSchemaWith(status, codes) } } };
}

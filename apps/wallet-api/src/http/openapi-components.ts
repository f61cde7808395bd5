import type { OpenAPIObject } from '@nestjs/swagger';
import type { AnswerSpec } from './api-answers.decorator';

const ref = (kind: string, name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** Headers, parameters and responses the operations refer to by name. */
export const OPENAPI_COMPONENTS: NonNullable<OpenAPIObject['components']> = {
  headers: {
    RequestId: { description: "The request's id: the caller's X-Request-Id when it is sane, else one the service made up", schema: { type: 'string' } },
    IdempotencyReplayed: { description: 'true when this is the stored answer to an earlier request with the same Idempotency-Key', schema: { type: 'string', enum: ['true'] } },
    ReadModelPosition: { description: 'The log position the read model had reached when it answered', schema: { type: 'string', pattern: '^(0|[1-9][0-9]*)$' } },
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
      schema: { type: 'string', pattern: '^[\\x20-\\x7E]{1,255}$' },
    },
    LastEventId: {
      name: 'Last-Event-ID',
      in: 'header',
      required: false,
      description: 'The last SSE id (a position) the client received: the stream resumes after it, overriding ?after=',
      schema: { type: 'string', pattern: '^(0|[1-9][0-9]*)$' },
    },
  },
  responses: {
    MethodNotAllowed: {
      description: 'METHOD_NOT_ALLOWED: the path does not take this method; Allow lists those it takes',
      headers: { Allow: ref('headers', 'Allow'), 'X-Request-Id': ref('headers', 'RequestId') },
      content: { 'application/problem+json': { schema: problemSchemaWith(['METHOD_NOT_ALLOWED']) } },
    },
    NotFound: {
      description: 'NOT_FOUND: no route has this path',
      headers: { 'X-Request-Id': ref('headers', 'RequestId') },
      content: { 'application/problem+json': { schema: problemSchemaWith(['NOT_FOUND']) } },
    },
  },
};

function problemSchemaWith(codes: readonly string[]): object {
  return { allOf: [ref('schemas', 'Problem'), { type: 'object', properties: { code: { type: 'string', enum: codes } } }] };
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
  if (status === 429 || status === 503) headers['Retry-After'] = ref('headers', 'RetryAfter');
  if (status === 401) headers['WWW-Authenticate'] = ref('headers', 'WwwAuthenticate');
  return { description: codes.join(', '), headers, content: { 'application/problem+json': { schema: problemSchemaWith(codes) } } };
}

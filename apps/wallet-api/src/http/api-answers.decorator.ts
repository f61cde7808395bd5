import { ApiExtension } from '@nestjs/swagger';
import type { ZodType } from 'zod';
import { apiSchemas } from './api-schemas';

/** Error statuses a route may answer, each with the problem codes it may carry. */
export type ProblemCodes = Readonly<Partial<Record<number, readonly string[]>>>;

/** What the OpenAPI document says a route answers; read back and expanded by openapi.ts. */
export interface AnswerSpec {
  readonly status: number;
  /** A schema of the `apiSchemas` registry, or a media type with a plain-text body. */
  readonly schema: string | { readonly mediaType: string; readonly description: string };
  readonly problems: ProblemCodes;
  /** A POST that takes Idempotency-Key and may answer with Idempotency-Replayed. */
  readonly idempotent?: boolean;
  /** A read-model query: X-Read-Model-Position on every answer. */
  readonly readModel?: boolean;
  /** A Server-Sent Events stream: takes Last-Event-ID. */
  readonly stream?: boolean;
}

export const ANSWERS_EXTENSION = 'x-wallet-answers';

const Answers = (spec: AnswerSpec): MethodDecorator => ApiExtension(ANSWERS_EXTENSION, spec);

/** What a route answers with: a registered response schema, or a plain-text media type. */
type Answered = ZodType | { readonly mediaType: string; readonly description: string };

/** The registry name of a response schema; a schema the document cannot name is a mistake. */
function nameOf(schema: Answered): AnswerSpec['schema'] {
  if (!('_zod' in schema)) return schema;
  const id = apiSchemas.get(schema)?.id;
  if (id === undefined) throw new Error('A response schema must be registered in apiSchemas with an id.');
  return id;
}

/** Problems every POST with a JSON body may give, before the command runs. */
const BODY_PROBLEMS: ProblemCodes = { 400: ['VALIDATION_FAILED'], 413: ['PAYLOAD_TOO_LARGE'], 415: ['UNSUPPORTED_MEDIA_TYPE'] };

/** Problems of the Idempotency-Key handling and of the write path. */
const WRITE_PROBLEMS: ProblemCodes = {
  409: ['IDEMPOTENCY_KEY_IN_PROGRESS'],
  422: ['IDEMPOTENCY_KEY_REUSED'],
  503: ['WRITE_CONTENTION', 'SERVICE_UNAVAILABLE'],
};

/** Joins code lists per status, keeping each code once. */
function mergeProblems(...lists: ProblemCodes[]): ProblemCodes {
  const merged: Record<number, string[]> = {};
  for (const list of lists) {
    for (const [status, codes] of Object.entries(list)) merged[Number(status)] = [...new Set([...(merged[Number(status)] ?? []), ...(codes ?? [])])];
  }
  return merged;
}

/** A command: its answer, the problems of bodies and writes, and its own. */
export const CommandAnswer = (status: 200 | 201, schema: ZodType, problems: ProblemCodes = {}): MethodDecorator =>
  Answers({ status, schema: nameOf(schema), idempotent: true, problems: mergeProblems(BODY_PROBLEMS, WRITE_PROBLEMS, problems) });

/** A read-model query: 400 on bad query strings, 503 READ_MODEL_BEHIND, X-Read-Model-Position. */
export const QueryAnswer = (schema: ZodType, problems: ProblemCodes = {}): MethodDecorator =>
  Answers({ status: 200, schema: nameOf(schema), readModel: true, problems: mergeProblems({ 400: ['VALIDATION_FAILED'], 503: ['READ_MODEL_BEHIND', 'SERVICE_UNAVAILABLE'] }, problems) });

/** Any other route: its answer and the problems it names (503 SERVICE_UNAVAILABLE while shutting down). */
export const PlainAnswer = (status: number, schema: Answered, problems: ProblemCodes = {}, body = false): MethodDecorator =>
  Answers({ status, schema: nameOf(schema), problems: mergeProblems(body ? BODY_PROBLEMS : {}, { 503: ['SERVICE_UNAVAILABLE'] }, problems) });

/** The event stream: `text/event-stream`, resumable with Last-Event-ID. */
export const StreamAnswer = (description: string, problems: ProblemCodes = {}): MethodDecorator =>
  Answers({ status: 200, schema: { mediaType: 'text/event-stream', description }, stream: true, problems: mergeProblems({ 503: ['SERVICE_UNAVAILABLE'] }, problems) });

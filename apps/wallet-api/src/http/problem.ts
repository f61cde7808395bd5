import { HttpException } from '@nestjs/common';
import { DomainError, type DomainErrorCode } from '@wallet/domain';
import { IdempotencyLeaseLostError } from '@wallet/event-store';
import { ZodValidationException } from 'nestjs-zod';
import type { ZodError } from 'zod';
import { AccessError } from '../auth/access.error';
import { WriteContentionError } from '../write-path/write-contention.error';
import { IN_PROGRESS_HEADERS, IdempotencyRequestError } from '../idempotency/idempotency-request.error';
import { UnavailableError } from './unavailable.error';
import { storeTrouble, storeTroubleAnswer } from './store-unavailable';

/** An RFC 9457 problem document with the stable `code` of API.md. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [extension: string]: unknown;
}

export interface Problem {
  readonly status: number;
  readonly body: ProblemBody;
  readonly headers: Readonly<Record<string, string>>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The one place where a domain outcome becomes an HTTP status. */
const DOMAIN_STATUS: Readonly<Record<DomainErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  WALLET_NOT_FOUND: 404,
  TRANSACTION_NOT_FOUND: 404,
  TRANSACTION_ALREADY_EXISTS: 409,
  WALLET_ALREADY_EXISTS: 409,
  TRANSACTION_NOT_PENDING: 409,
  INSUFFICIENT_FUNDS: 422,
  HOLD_EXPIRED: 422,
  CURRENCY_MISMATCH: 422,
  BALANCE_LIMIT_EXCEEDED: 422,
  OWNER_LIMIT_REACHED: 422,
  GROUP_NOT_FOUND: 404,
  GROUP_NOT_PENDING: 409,
  GROUP_ALREADY_EXISTS: 409,
  TRANSACTION_PART_OF_GROUP: 409,
  HOLD_NOT_EXPIRED: 409,
  AMOUNT_EXCEEDS_HOLD: 422,
  REVERSAL_EXCEEDS_ORIGINAL: 422,
  TRANSACTION_NOT_REVERSIBLE: 409,
  GROUP_NOT_REVERSIBLE: 409,
  OVERDRAFT_LIMIT_BELOW_USAGE: 422,
  REFERENCE_ALREADY_USED: 409,
  WEBHOOK_ENDPOINT_NOT_FOUND: 404,
  WEBHOOK_URL_REFUSED: 422,
  FORBIDDEN: 403,
};

/** True for the codes of domain outcomes (DomainError), as opposed to HTTP and access failures. */
export const isDomainErrorCode = (code: string): code is DomainErrorCode => Object.hasOwn(DOMAIN_STATUS, code);

/**
 * A refusal of the domain is an answer, stored under the Idempotency-Key and replayed; an
 * invalid request (VALIDATION_FAILED) is not, so the corrected request can use the key.
 */
export const isStoredRefusal = (code: string): boolean => isDomainErrorCode(code) && code !== 'VALIDATION_FAILED';

const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'VALIDATION_FAILED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
};

export function problem(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}, headers: Record<string, string> = {}): Problem {
  const title = code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, ' ');
  const type = `/problems/${code.toLowerCase().replace(/_/g, '-')}`;
  return { status, body: { type, title, status, detail, code, ...extensions }, headers };
}

/** Maps anything thrown while serving `instance` to a problem; unknown errors become a bare 500. */
export function toProblem(error: unknown, instance: string): Problem {
  const { status, body, headers } = classify(error);
  return { status, body: { ...body, instance }, headers };
}

function classify(error: unknown): Problem {
  if (error instanceof DomainError) return problem(DOMAIN_STATUS[error.code], error.code, error.message, { ...error.details });
  if (error instanceof ZodValidationException) return validationProblem(error.getZodError() as ZodError);
  if (error instanceof IdempotencyRequestError) return problem(error.status, error.code, error.message, {}, { ...error.headers });
  if (error instanceof WriteContentionError) return problem(503, 'WRITE_CONTENTION', error.message, {}, { 'retry-after': '1' });
  if (error instanceof IdempotencyLeaseLostError) {
    return problem(409, 'IDEMPOTENCY_KEY_IN_PROGRESS', 'Another request with this Idempotency-Key took it over; retry to get its answer.', {}, IN_PROGRESS_HEADERS);
  }
  if (error instanceof AccessError) return problem(error.status, error.code, error.message, {}, error.headers);
  if (error instanceof UnavailableError) return problem(error.status, error.code, error.message, { ...error.extensions }, { ...error.headers });
  // Passing trouble of the database or the event store: the client may retry, and is told when.
  const trouble = storeTrouble(error);
  if (trouble !== undefined) {
    const { detail, retryAfterS } = storeTroubleAnswer(trouble);
    return problem(503, 'SERVICE_UNAVAILABLE', detail, {}, { 'retry-after': String(retryAfterS) });
  }
  const status = clientErrorStatus(error);
  if (status !== undefined) return problem(status, CODE_BY_STATUS[status] ?? 'BAD_REQUEST', clientErrorDetail(error, status));
  if (error instanceof HttpException && error.getStatus() === 503) {
    return problem(503, 'SERVICE_UNAVAILABLE', 'The service cannot answer right now; retry later.', {}, { 'retry-after': '1' });
  }
  return problem(500, 'INTERNAL_ERROR', 'The server could not complete the request. It has been logged; retry later.');
}

function validationProblem(error: ZodError): Problem {
  const errors = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const detail = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
  return problem(400, 'VALIDATION_FAILED', detail, { errors });
}

/** 4xx statuses of Nest's HttpException and of Fastify's own errors (bad JSON, body too large). */
function clientErrorStatus(error: unknown): number | undefined {
  const status = error instanceof HttpException ? error.getStatus() : (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function clientErrorDetail(error: unknown, status: number): string {
  if (status === 404) return 'No such resource.';
  const message = error instanceof Error ? error.message : '';
  return message.length > 0 && message.length < 300 ? message : 'The request could not be processed.';
}

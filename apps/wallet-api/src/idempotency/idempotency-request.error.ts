export type IdempotencyErrorCode = 'IDEMPOTENCY_KEY_IN_PROGRESS' | 'IDEMPOTENCY_KEY_REUSED' | 'VALIDATION_FAILED';

const STATUS: Readonly<Record<IdempotencyErrorCode, number>> = {
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  VALIDATION_FAILED: 400,
};

/** A key still held by a running request: ask the client to retry soon, when it may be done. */
export const IN_PROGRESS_HEADERS: Readonly<Record<string, string>> = { 'retry-after': '1' };

/** The Idempotency-Key header cannot be honoured for this request. */
export class IdempotencyRequestError extends Error {
  override readonly name = 'IdempotencyRequestError';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly code: IdempotencyErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
    this.headers = code === 'IDEMPOTENCY_KEY_IN_PROGRESS' ? IN_PROGRESS_HEADERS : {};
  }
}

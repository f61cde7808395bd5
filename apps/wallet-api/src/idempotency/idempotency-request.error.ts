export type IdempotencyErrorCode = 'IDEMPOTENCY_KEY_IN_PROGRESS' | 'IDEMPOTENCY_KEY_REUSED' | 'VALIDATION_FAILED';

const STATUS: Readonly<Record<IdempotencyErrorCode, number>> = {
  IDEMPOTENCY_KEY_IN_PROGRESS: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  VALIDATION_FAILED: 400,
};

/** The Idempotency-Key header cannot be honoured for this request. */
export class IdempotencyRequestError extends Error {
  override readonly name = 'IdempotencyRequestError';
  readonly status: number;

  constructor(
    readonly code: IdempotencyErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

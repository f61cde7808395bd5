/**
 * The service cannot answer now, for a reason with a stable code (READ_MODEL_BEHIND,
 * PROJECTOR_HALTED: 503; RATE_LIMITED: 429): a problem carrying these headers (Retry-After, ...).
 */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';

  constructor(
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly status: 503 | 429 = 503,
    /** Problem extensions the answer carries (see problem.schema.ts). */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/**
 * The service cannot answer now, for a reason with a stable code (READ_MODEL_BEHIND,
 * PROJECTOR_HALTED): a 503 problem carrying these headers (Retry-After, ...).
 */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';

  constructor(
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** Stable codes of expected domain outcomes; the HTTP layer maps each to a status in one place. */
export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'WALLET_NOT_FOUND'
  | 'WALLET_ALREADY_EXISTS'
  | 'TRANSACTION_NOT_FOUND'
  | 'TRANSACTION_ALREADY_EXISTS'
  | 'TRANSACTION_NOT_PENDING'
  | 'INSUFFICIENT_FUNDS'
  | 'HOLD_EXPIRED'
  | 'CURRENCY_MISMATCH'
  | 'BALANCE_LIMIT_EXCEEDED'
  | 'OWNER_LIMIT_REACHED'
  | 'GROUP_NOT_FOUND'
  | 'GROUP_NOT_PENDING'
  | 'GROUP_ALREADY_EXISTS'
  | 'TRANSACTION_PART_OF_GROUP'
  | 'HOLD_NOT_EXPIRED'
  | 'AMOUNT_EXCEEDS_HOLD'
  | 'REVERSAL_EXCEEDS_ORIGINAL'
  | 'TRANSACTION_NOT_REVERSIBLE'
  | 'GROUP_NOT_REVERSIBLE'
  | 'OVERDRAFT_LIMIT_BELOW_USAGE'
  | 'REFERENCE_ALREADY_USED'
  | 'WEBHOOK_ENDPOINT_NOT_FOUND'
  | 'WEBHOOK_URL_REFUSED'
  | 'FORBIDDEN';

/** An expected, named outcome of a command (not a bug): it carries a stable code. */
export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** Exhaustiveness check for discriminated unions: a new case fails to compile. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

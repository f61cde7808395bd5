/** A request without a usable key (401 UNAUTHENTICATED) or without the scope its route needs (403 FORBIDDEN). */
export class AccessError extends Error {
  override readonly name = 'AccessError';

  constructor(
    readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
  }

  get status(): 401 | 403 {
    return this.code === 'UNAUTHENTICATED' ? 401 : 403;
  }

  /** RFC 6750: a 401 names the scheme to use. */
  get headers(): Record<string, string> {
    return this.code === 'UNAUTHENTICATED' ? { 'www-authenticate': 'Bearer realm="wallet"' } : {};
  }
}

import { storeTrouble, storeTroubleAnswer } from './store-unavailable';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

/** Shaped as the KurrentDB client's errors are: a class of its own and a `type`. */
class UnavailableError extends Error {
  readonly type = 'unavailable';
}
class StreamNotFoundError extends Error {
  readonly type = 'stream-not-found';
}

describe('storeTrouble', () => {
  it('names PostgreSQL passing trouble by its SQLSTATE class, also behind a wrapper', () => {
    expect(storeTrouble(withCode('25006'))).toBe('read-only');
    expect(storeTrouble(withCode('57014'))).toBe('canceled');
    expect(storeTrouble(new Error('timeout exceeded when trying to connect'))).toBe('connection');
    expect(storeTrouble(new Error('append failed', { cause: withCode('57P01') }))).toBe('shutdown');
  });

  it('names a KurrentDB server out of reach, not its other refusals', () => {
    expect(storeTrouble(new UnavailableError('no leader'))).toBe('event-store');
    expect(storeTrouble(new StreamNotFoundError('gone'))).toBeUndefined();
  });

  it('leaves faults of the work itself alone', () => {
    expect(storeTrouble(withCode('23505'))).toBeUndefined();
    expect(storeTrouble(new Error('boom'))).toBeUndefined();
    expect(storeTrouble('not an error')).toBeUndefined();
  });

  it('asks for a longer wait when an operator must step in', () => {
    expect(storeTroubleAnswer('resources').retryAfterS).toBeGreaterThan(storeTroubleAnswer('connection').retryAfterS);
  });
});

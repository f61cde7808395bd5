import { isTransient } from './transient-errors';

describe('isTransient', () => {
  it.each([
    ['a lost connection (SQLSTATE 08006)', Object.assign(new Error('x'), { code: '08006' })],
    ['an administrator shutdown (57P01)', Object.assign(new Error('x'), { code: '57P01' })],
    ['a deadlock (40P01)', Object.assign(new Error('x'), { code: '40P01' })],
    ['a read-only spell (25006)', Object.assign(new Error('x'), { code: '25006' })],
    ['a full disk (53100)', Object.assign(new Error('x'), { code: '53100' })],
    ['a reset socket', Object.assign(new Error('x'), { code: 'ECONNRESET' })],
    ['pg: Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['pg: a client reused after its connection error', new Error('Client has encountered a connection error and is not queryable')],
    ['KurrentDB: unavailable', Object.assign(new Error('x'), { type: 'unavailable' })],
  ])('retries %s', (_, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', Object.assign(new Error('x'), { code: '23505' })],
    ['a bad event', new Error('Unknown event type Foo')],
    ['nothing', undefined],
  ])('halts on %s', (_, error) => {
    expect(isTransient(error)).toBe(false);
  });
});

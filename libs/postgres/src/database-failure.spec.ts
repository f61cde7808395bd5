import { databaseFailure, isPassingDatabaseFailure } from './database-failure';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('databaseFailure', () => {
  it.each([
    ['08006 connection failure', withCode('08006'), 'connection'],
    ['08P01 protocol violation (class 08)', withCode('08P01'), 'connection'],
    ['25006 read-only transaction', withCode('25006'), 'read-only'],
    ['53100 disk full', withCode('53100'), 'resources'],
    ['53300 too many connections', withCode('53300'), 'resources'],
    ['58030 I/O error', withCode('58030'), 'resources'],
    ['40001 serialization failure', withCode('40001'), 'conflict'],
    ['40P01 deadlock', withCode('40P01'), 'conflict'],
    ['55P03 lock not available', withCode('55P03'), 'conflict'],
    ['57014 statement timeout', withCode('57014'), 'canceled'],
    ['57P01 admin shutdown', withCode('57P01'), 'shutdown'],
    ['57P03 cannot connect now', withCode('57P03'), 'shutdown'],
    ['a reset socket', withCode('ECONNRESET'), 'connection'],
    ['a refused connection', withCode('ECONNREFUSED'), 'connection'],
    ['pg: Connection terminated unexpectedly', new Error('Connection terminated unexpectedly'), 'connection'],
    ['pg: connect timeout', new Error('timeout exceeded when trying to connect'), 'connection'],
    ['pg: a client reused after its error', new Error('Client has encountered a connection error and is not queryable'), 'connection'],
  ])('%s is passing trouble (%s)', (_, error, kind) => {
    expect(databaseFailure(error)).toBe(kind);
    expect(isPassingDatabaseFailure(error)).toBe(true);
  });

  it.each([
    ['23505 unique violation', withCode('23505')],
    ['42P01 undefined table', withCode('42P01')],
    ['22P02 invalid text', withCode('22P02')],
    ['25P02 transaction aborted (class 25, not read-only)', withCode('25P02')],
    ['57P04 database dropped (class 57, not a shutdown)', withCode('57P04')],
    ['a bad event whose words mention a connection', new Error('Unknown event type; Connection terminated elsewhere')],
    ['nothing', undefined],
  ])('%s is not', (_, error) => {
    expect(databaseFailure(error)).toBeUndefined();
    expect(isPassingDatabaseFailure(error)).toBe(false);
  });
});

import { randomUUID } from 'node:crypto';
import type { EventLog } from './event-log';

const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
const none = new Uint8Array();

/**
 * Writes what a fresh KurrentDB node has in its log before any client writes: the epoch record and the
 * default users, all of them system events ($-prefixed types in $-prefixed streams).
 */
export function writeSystemEvents(log: EventLog): void {
  const event = (type: string, data: unknown) => ({ eventId: randomUUID(), type, isJson: true, data: json(data), metadata: none });
  log.writeSystem('$epochs', [event('$epoch-information', { epochNumber: 0, epochPosition: 0, epochId: randomUUID(), leaderInstanceId: randomUUID() })]);
  for (const login of ['admin', 'ops']) {
    log.writeSystem(`$user-${login}`, [event('$user', { loginName: login, fullName: login, groups: [`$${login}s`] })]);
    log.writeSystem('$users', [event('$UserCreated', login)]);
  }
}

import fc from 'fast-check';
import type { Fixture } from './fixture';
import type { HostileRequest } from './hostile-request';
import { junkQuery } from './query-strings';
import { asciiText } from './refused-values';
import { NEVER_REACHED_POSITION } from './write-routes';

const PATH_SEGMENTS = [
  '..', '.', '%2e%2e', '%2E', '%00', '%FF', '%C0%AE', '%C0%80', '%E0%80%AF', '%ED%A0%80', '%F4%90%80%80', '%', '%G1', '%2', '%%',
  '%2F', '%5C', '\\', ';', ';a=b', '~', '*', '@', ':', 'null', 'undefined', '__proto__', 'constructor', 'prototype', '-1', '0', 'é', '%E2%80%AE',
];

const segment = fc.oneof(
  fc.constantFrom(...PATH_SEGMENTS),
  asciiText(1, 20).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }).map(encodeURIComponent),
  fc.integer({ min: 101, max: 6_000 }).map((length) => 'a'.repeat(length)),
);

/** Ids that are not the given one in any spelling: edits, truncations, junk, unknown UUIDs. */
const almostId = (id: string) =>
  fc
    .oneof(
      fc.nat(id.length - 1).map((at) => id.slice(0, at) + id.slice(at + 1)),
      fc.tuple(fc.nat(id.length), fc.constantFrom('0', 'a', 'f')).map(([at, char]) => id.slice(0, at) + char + id.slice(at)),
      fc.tuple(fc.nat(id.length - 1), fc.constantFrom('g', 'z', '_', '%00', '%20', '%2F', '..')).map(([at, char]) => id.slice(0, at) + char + id.slice(at + 1)),
      fc.constantFrom(id.replace(/-/g, ''), `{${id}}`, `${id}%00`, `%20${id}`, `${id}.json`, `${id};x`, `${id}%2F..`),
      fc.uuid(),
      segment,
    )
    .filter((variant) => variant.toLowerCase() !== id.toLowerCase());

const randomPath = fc
  .tuple(fc.constantFrom('/', '/v1/', '/v2/', '//', '/v1//', '/health/../v1/'), fc.array(segment, { minLength: 1, maxLength: 8 }))
  .map(([prefix, segments]) => prefix + segments.join('/'));

/** GETs of real routes, near-miss ids and random paths, with or without a junk query; never a write. */
function readRequests(fixture: Fixture): fc.Arbitrary<HostileRequest> {
  const { usdA, hold, group, endpoint } = fixture;
  const walletRef = fc.oneof(fc.constant(usdA), fc.constant(usdA.toUpperCase()), almostId(usdA));
  const reads = fc.oneof(
    fc.tuple(walletRef, fc.constantFrom('', '/transactions', `/transactions/${hold}`, '/balance', '/snapshots')).map(([id, rest]) => `/v1/wallets/${id}${rest}`),
    fc.constantFrom('/v1/wallets', '/v1/events', '/v1/api-keys', `/v1/transaction-groups/${group}`, `/v1/wallets/${usdA}/balance`, `/v1/wallets/${usdA}/transactions`),
    fc.constantFrom('/v1/transactions', '/v1/transaction-groups', '/v1/totals'),
    almostId(group).map((id) => `/v1/transaction-groups/${id}`),
    almostId(hold).map((id) => `/v1/wallets/${usdA}/transactions/${id}`),
    fc.constantFrom('/v1/webhook-endpoints', `/v1/webhook-endpoints/${endpoint}`, `/v1/webhook-endpoints/${endpoint}/deliveries`),
    fc.tuple(almostId(endpoint), fc.constantFrom('', '/deliveries')).map(([id, rest]) => `/v1/webhook-endpoints/${id}${rest}`),
    randomPath,
  );
  return fc.tuple(reads, fc.option(junkQuery, { freq: 3 })).map(([path, query]): HostileRequest => ({ label: 'GET', method: 'GET', path: path + (query ?? ''), raw: true }));
}

/** Writes that never name a real target: a wrong id, or a junk segment past a real route. */
function writeRequests(fixture: Fixture): fc.Arbitrary<HostileRequest> {
  const { usdA, hold, group, completedGroup, spareKeyId, endpoint } = fixture;
  const creditBody = JSON.stringify({ type: 'credit', amount: '1' });
  // Each with a body it would take on the right target: only the path is wrong.
  const transactionAction = fc.constantFrom<[string, string | undefined]>(['confirm', undefined], ['reject', undefined], ['increase', '{"amount":"1"}'], ['reverse', '{"amount":"1"}']);
  const endpointAction = fc.constantFrom<[string, string | undefined]>(['disable', undefined], ['enable', undefined], ['rotate-secret', undefined], ['replay', JSON.stringify({ after: NEVER_REACHED_POSITION })]);
  const writeTargets = fc.oneof(
    almostId(usdA).map((id) => ({ path: `/v1/wallets/${id}/transactions`, body: creditBody })),
    almostId(usdA).map((id) => ({ path: `/v1/wallets/${id}/owners`, body: JSON.stringify({ ownerType: 'user', ownerRef: 'u-3' }) })),
    almostId(usdA).map((id) => ({ path: `/v1/wallets/${id}/overdraft-limit`, body: JSON.stringify({ overdraftLimit: '100' }) })),
    fc.tuple(almostId(hold), transactionAction).map(([id, [action, body]]) => ({ path: `/v1/wallets/${usdA}/transactions/${id}/${action}`, body })),
    fc.tuple(almostId(fixture.credit), transactionAction).map(([id, [action, body]]) => ({ path: `/v1/wallets/${usdA}/transactions/${id}/${action}`, body })),
    fc.tuple(almostId(usdA), transactionAction).map(([id, [action, body]]) => ({ path: `/v1/wallets/${id}/transactions/${hold}/${action}`, body })),
    fc.tuple(almostId(group), fc.constantFrom('confirm', 'reject', 'reverse')).map(([id, action]) => ({ path: `/v1/transaction-groups/${id}/${action}`, body: undefined })),
    almostId(completedGroup).map((id) => ({ path: `/v1/transaction-groups/${id}/reverse`, body: undefined })),
    almostId(spareKeyId).map((id) => ({ path: `/v1/api-keys/${id}/revoke`, body: undefined })),
    fc.tuple(almostId(endpoint), endpointAction).map(([id, [action, body]]) => ({ path: `/v1/webhook-endpoints/${id}/${action}`, body })),
    fc
      .tuple(fc.constantFrom('/v1/wallets', `/v1/wallets/${usdA}/transactions`, `/v1/wallets/${usdA}/owners`, `/v1/wallets/${usdA}/overdraft-limit`, '/v1/transaction-groups', '/v1/transfers', '/v1/api-keys', `/v1/wallets/${usdA}/transactions/${hold}/confirm`, `/v1/wallets/${usdA}/transactions/${fixture.credit}/reverse`, `/v1/transaction-groups/${completedGroup}/reverse`, '/v1/webhook-endpoints', `/v1/webhook-endpoints/${endpoint}/disable`, `/v1/webhook-endpoints/${endpoint}/replay`), segment)
      .map(([route, extra]) => ({ path: `${route}/${extra}`, body: creditBody })),
    randomPath.map((path) => ({ path, body: creditBody })),
  );
  return fc
    .tuple(writeTargets, fc.option(junkQuery, { freq: 3 }), fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE'))
    .map(([target, query, method]): HostileRequest => ({ label: method, method, path: target.path + (query ?? ''), body: target.body, raw: true }));
}

/** Hostile paths and query strings, GET and POST (and PUT, PATCH, DELETE), sent byte for byte. */
export function pathRequests(fixture: Fixture): fc.Arbitrary<HostileRequest> {
  return fc.oneof(readRequests(fixture), writeRequests(fixture));
}

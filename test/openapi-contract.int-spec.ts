import { type ObservedAnswer, contractViolations } from './support/contract/answer-check';
import { contractForEnvironment } from './support/contract/contract-documents';
import type { OpenApiContract, SchemaObject } from './support/contract/openapi-contract';

/**
 * The check every end-to-end answer goes through (test/support/contract.ts) must be able to
 * fail: answers shaped as the service sends them pass, and each kind of departure from the
 * document is caught and named.
 */

const WALLET_ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const NOW = '2026-05-21T10:00:00.000Z';
const wallet = {
  id: WALLET_ID,
  type: 'main',
  currency: 'USD',
  owners: [],
  metadata: {},
  createdAt: NOW,
  updatedAt: NOW,
  version: 0,
  overdraftLimit: '0',
  balance: { ledger: '0', available: '0', pendingDebits: '0', pendingCredits: '0' },
};
const problem = (status: number, code: string) => ({ type: `/problems/${code.toLowerCase()}`, title: code, status, detail: 'd', code, instance: '/x' });

function answer(method: string, target: string, status: number, body: unknown, headers: Record<string, string> = {}): ObservedAnswer {
  const contentType = status >= 400 ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8';
  const all: Record<string, string> = { 'content-type': contentType, 'x-request-id': 'r-1', ...headers };
  return { method, target, status, header: (name) => all[name], text: body === undefined ? undefined : JSON.stringify(body) };
}

describe('the contract check of every answer', () => {
  let contract: OpenApiContract;
  beforeAll(async () => {
    contract = await contractForEnvironment({});
  });

  const violations = (observed: ObservedAnswer) => contractViolations(contract, observed);

  it('passes answers as the service sends them', () => {
    expect(violations(answer('POST', '/v1/wallets', 201, wallet, { 'idempotency-replayed': 'true' }))).toEqual([]);
    expect(violations(answer('GET', `/v1/wallets/${WALLET_ID}?minPosition=3`, 200, wallet, { 'x-read-model-position': '7' }))).toEqual([]);
    expect(violations(answer('HEAD', `/v1/wallets/${WALLET_ID}`, 200, undefined))).toEqual([]);
    expect(violations(answer('GET', '/v1/nothing-here', 404, problem(404, 'NOT_FOUND')))).toEqual([]);
    expect(violations(answer('DELETE', `/v1/wallets/${WALLET_ID}`, 405, problem(405, 'METHOD_NOT_ALLOWED'), { allow: 'GET, HEAD' }))).toEqual([]);
    expect(violations(answer('GET', '/v1/nothing-here', 401, problem(401, 'UNAUTHENTICATED'), { 'www-authenticate': 'Bearer realm="wallet"' }))).toEqual([]);
  });

  it.each([
    ['a field the schema does not have', answer('POST', '/v1/wallets', 201, { ...wallet, secret: 'x' }), /must NOT have additional properties.*secret/],
    ['an amount as a JSON number', answer('GET', `/v1/wallets/${WALLET_ID}`, 200, { ...wallet, balance: { ...wallet.balance, ledger: 0 } }), /\/balance\/ledger must be string/],
    ['a status the operation does not list', answer('POST', '/v1/wallets', 418, problem(418, 'TEAPOT')), /status 418 is not documented for POST \/v1\/wallets/],
    ['a code its status does not carry', answer('POST', '/v1/wallets', 409, problem(409, 'WALLET_NOT_FOUND')), /\/code must be equal to one of the allowed values/],
    ['a problem whose status is not the answer', answer('POST', '/v1/wallets', 409, problem(422, 'IDEMPOTENCY_KEY_IN_PROGRESS')), /\/status must be equal to constant/],
    ['an undocumented Content-Type', { ...answer('GET', '/health/live', 200, { status: 'ok' }), header: (name: string) => (name === 'content-type' ? 'text/html' : undefined) }, /Content-Type text\/html is not documented/],
    ['a body that is not JSON', { ...answer('GET', '/health/live', 200, undefined), text: '<html>' }, /the body is not JSON/],
    ['Idempotency-Replayed on an answer never stored', answer('POST', '/v1/wallets', 400, problem(400, 'VALIDATION_FAILED'), { 'idempotency-replayed': 'true' }), /header idempotency-replayed is sent but not documented/],
    ['X-Read-Model-Position on a command', answer('POST', '/v1/wallets', 201, wallet, { 'x-read-model-position': '3' }), /header x-read-model-position is sent but not documented/],
    ['a header that breaks its schema', answer('GET', `/v1/wallets/${WALLET_ID}`, 200, wallet, { 'x-read-model-position': '-1' }), /header x-read-model-position: "-1" .*must match pattern/],
    ['a 5xx on an unknown path', answer('GET', '/v1/nothing-here', 500, problem(500, 'INTERNAL_ERROR')), /no operation answers it \(no route\).*status 500/],
    ['another code on the generic 404', answer('GET', '/v1/nothing-here', 404, problem(404, 'WALLET_NOT_FOUND')), /\/code must be equal to one of the allowed values.*components\.responses\.NotFound/],
  ])('catches %s', (_what, observed, expected) => {
    expect(violations(observed).join('\n')).toMatch(expected);
  });

  it('routes a target as Fastify does: empty and encoded parameters, malformed escapes, over-long parameters', () => {
    // An empty parameter reaches no route, and %2F stays inside its segment.
    expect(violations(answer('GET', '/v1/wallets//transactions', 404, problem(404, 'NOT_FOUND')))).toEqual([]);
    expect(violations(answer('GET', '/v1/wallets/a%2Fb', 400, problem(400, 'VALIDATION_FAILED')))).toEqual([]);
    expect(violations(answer('GET', '/v1/wallets/a%2Fb', 405, problem(405, 'METHOD_NOT_ALLOWED')))).not.toEqual([]);
    expect(violations(answer('POST', '/v1/wallets/%C3%28/transactions', 400, problem(400, 'VALIDATION_FAILED'))).join()).toBe('');
    expect(violations(answer('POST', `/v1/wallets/${'a'.repeat(101)}/transactions`, 414, problem(414, 'URI_TOO_LONG')))).toEqual([]);
    expect(violations(answer('POST', `/v1/wallets/${'a'.repeat(100)}/transactions`, 414, problem(414, 'URI_TOO_LONG'))).join()).toMatch(/status 414 is not documented/);
  });

  it('has response schemas that refuse undocumented fields: every object is closed', () => {
    const open: string[] = [];
    const isClosed = (schema: unknown) => (schema as SchemaObject)['additionalProperties'] === false;
    // A member of an allOf with a closed member (a problem narrowed to its codes) is closed by it.
    const walk = (schema: unknown, at: string, closedBySibling = false): void => {
      if (schema === null || typeof schema !== 'object') return;
      const node = schema as SchemaObject;
      if (node['type'] === 'object' && node['properties'] !== undefined && !isClosed(node) && !closedBySibling) open.push(at);
      for (const [keyword, value] of Object.entries(node)) {
        if (keyword === 'allOf' && Array.isArray(value)) value.forEach((member, index) => walk(member, `${at}/allOf/${index}`, value.some(isClosed)));
        else walk(value, `${at}/${keyword}`);
      }
    };
    let checked = 0;
    for (const [path, operations] of Object.entries(contract.document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          for (const [mediaType, { schema }] of Object.entries(response.content ?? {})) {
            walk(schema, `${method.toUpperCase()} ${path} ${status} ${mediaType}`);
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(open).toEqual([]);
  });
});

import type fc from 'fast-check';
import { post } from './support/http';
import { bodyRequests } from './support/hostile/body-requests';
import { credentialRequests } from './support/hostile/credentials';
import { type Balance, type DatabaseState, balanceOf, recordState } from './support/hostile/database-state';
import { type Limits, limitsOf } from './support/hostile/domain-refusals';
import { type Fixture, buildFixture, fixtureBalances, proveValidBodiesAreValid } from './support/hostile/fixture';
import { fuzzWithoutChange } from './support/hostile/fuzz';
import { feedRequests, headerRequests } from './support/hostile/headers';
import type { HostileRequest } from './support/hostile/hostile-request';
import { pathRequests } from './support/hostile/paths';
import { SETTLING_TARGETS, settlingRequests } from './support/hostile/settling-requests';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Fuzzing over real HTTP: thousands of random and hostile headers, bodies, paths and query
 * strings, each built so that the service must refuse it. None may get a 5xx, every refusal
 * is a problem+json with a code, and afterwards the event log, the read model, the API keys,
 * the idempotency keys and the webhook endpoints are exactly as they were. A last valid credit
 * and a webhook endpoint's disabling then show that the same check does see a change.
 *
 * Rate limiting is lifted for the run (a 429 is a 4xx, so it would pass where a refusal is
 * required, and hide the answer that matters). The seed is fixed: fast-check prints it with
 * the counterexample, so a failure replays. Webhook URLs may name 127.0.0.1 (nothing resolves
 * names here); the fixture's endpoints are never due, so nothing is ever sent to them.
 */

const SEED = 20_260_521;
const RUNS = { credentials: 1_200, headers: 800, feed: 200, bodies: 1_800, settling: 150, paths: 1_500 } as const;
/** No rate limiting in the way (a 429 would hide the real answer), a quick projector, webhooks to 127.0.0.1. */
const ENV = { RATE_LIMIT_PER_SECOND: '1000000', PROJECTOR_POLL_MS: '20', READ_MODEL_WAIT_MS: '200', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' };
const PROPERTY_TIMEOUT_MS = 180_000;
/** What captures, increases and reversals refuse for their target alone: each must be met. */
const LIFECYCLE_REFUSALS = [
  '404 TRANSACTION_NOT_FOUND',
  '404 GROUP_NOT_FOUND',
  '409 TRANSACTION_NOT_PENDING',
  '409 TRANSACTION_PART_OF_GROUP',
  '409 TRANSACTION_NOT_REVERSIBLE',
  '409 GROUP_NOT_REVERSIBLE',
  '422 AMOUNT_EXCEEDS_HOLD',
  '422 REVERSAL_EXCEEDS_ORIGINAL',
];

describe('hostile input (fuzz)', () => {
  let app: TestApp;
  let fixture: Fixture;
  let limits: Limits;
  let initialState: DatabaseState;
  let initialBalances: Record<string, Balance>;
  const sentPerProperty: Record<string, number> = {};

  beforeAll(async () => {
    // The state check reads the PostgreSQL event store's tables, whatever TEST_EVENT_STORE says.
    app = await startTestApp({ env: ENV, eventStore: 'postgres' });
    fixture = await buildFixture(app);
    await proveValidBodiesAreValid(app, fixture);
    initialBalances = await fixtureBalances(app, fixture);
    limits = limitsOf(initialBalances);
    initialState = await recordState(app);
  }, 60_000);

  afterAll(async () => {
    console.log(`hostile input: requests sent per property ${JSON.stringify(sentPerProperty)}, seed ${SEED}`);
    await app?.close();
  });

  /** Sends `numRuns` requests from `requests`, judging each answer; the state must not move. */
  const fuzz = (name: string, requests: fc.Arbitrary<HostileRequest>, numRuns: number, isWrite: (request: HostileRequest) => boolean, mustSee: string[] = []) =>
    fuzzWithoutChange(app, { name, requests, numRuns, seed: SEED, isWrite, mustSee }, sentPerProperty);

  it(
    'writes with a missing, malformed, unknown, revoked, expired or under-scoped key: 401/403 (404 for another owner), nothing changes',
    async () => {
      await fuzz('credentials', credentialRequests(fixture), RUNS.credentials, () => true, ['401 UNAUTHENTICATED', '403 FORBIDDEN', '404 WALLET_NOT_FOUND', '404 WEBHOOK_ENDPOINT_NOT_FOUND']);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'valid writes with an odd Content-Type or a malformed Idempotency-Key: 4xx, nothing changes',
    async () => {
      await fuzz('headers', headerRequests(fixture), RUNS.headers, () => true, ['415 UNSUPPORTED_MEDIA_TYPE', '400 VALIDATION_FAILED']);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'the event feed with junk Last-Event-ID and X-Request-Id: never a 5xx',
    async () => {
      await fuzz('feed', feedRequests(), RUNS.feed, () => false, ['200']);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'hostile bodies on every write route (captures, increases and reversals too), with the admin key: 4xx problem+json, nothing changes',
    async () => {
      const mustSee = ['400 VALIDATION_FAILED', '404 WALLET_NOT_FOUND', '409 REFERENCE_ALREADY_USED', '413 PAYLOAD_TOO_LARGE', '422 INSUFFICIENT_FUNDS', '422 CURRENCY_MISMATCH', '422 WEBHOOK_URL_REFUSED', ...LIFECYCLE_REFUSALS];
      await fuzz('bodies', bodyRequests(fixture, limits), RUNS.bodies, () => true, mustSee);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'hostile paths and query strings, GET and POST: never a 5xx, writes refused, nothing changes',
    async () => {
      await fuzz('paths', pathRequests(fixture), RUNS.paths, (request) => request.method !== 'GET', ['200', '400 VALIDATION_FAILED', '404 NOT_FOUND', '404 WALLET_NOT_FOUND', '404 WEBHOOK_ENDPOINT_NOT_FOUND']);
    },
    PROPERTY_TIMEOUT_MS,
  );

  describe.each(SETTLING_TARGETS)('%s, with a body the route does not take', (target) => {
    it(
      '4xx, nothing changes',
      async () => {
        await fuzz(`settling: ${target}`, settlingRequests(fixture, target), RUNS.settling, () => true);
      },
      PROPERTY_TIMEOUT_MS,
    );
  });

  it('after all of it the state is exactly as before; a valid credit still changes it by exactly its amount, a disabling changes the endpoint', async () => {
    expect(await recordState(app)).toEqual(initialState);
    for (const [walletId, balance] of Object.entries(initialBalances)) expect(await balanceOf(app, walletId)).toEqual(balance);

    const credit = await post(app.baseUrl, `/v1/wallets/${fixture.usdA}/transactions`, { type: 'credit', amount: '7' });
    expect(credit.status).toBe(201);
    const after = await recordState(app);
    expect(after).not.toEqual(initialState);
    expect(Number(after['event_store.events rows']) - Number(initialState['event_store.events rows'])).toBe(1);
    expect(BigInt(after.ledgerSum) - BigInt(initialState.ledgerSum)).toBe(7n);
    const balanceA = initialBalances[fixture.usdA]!;
    expect((await balanceOf(app, fixture.usdA)).ledger).toBe((BigInt(balanceA.ledger) + 7n).toString());

    const disabled = await post(app.baseUrl, `/v1/webhook-endpoints/${fixture.endpoint}/disable`);
    expect(disabled.status).toBe(200);
    const afterDisabling = await recordState(app);
    expect(afterDisabling['webhooks.endpoints rows']).toBe(after['webhooks.endpoints rows']);
    expect(afterDisabling['webhooks.endpoints digest']).not.toBe(after['webhooks.endpoints digest']);
  });
});

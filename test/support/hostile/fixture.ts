import { fundedWallet, post } from '../http';
import type { TestApp } from '../test-app';
import { type Balance, balanceOf } from './database-state';
import { NEVER_REACHED_POSITION, UNCALLED_WEBHOOK_URL, WEBHOOK_ENDPOINT_ACTIONS, writeRoutes } from './write-routes';

/** What the pending hold on usdA holds: a capture of more is refused. */
export const HOLD_MINOR = 100n;
/** What is left to reverse of the credit on usdA (40 credited, 10 reversed): a reversal of more is refused. */
export const CREDIT_LEFT_MINOR = 30n;
/** The references the fixture takes: the credit's on usdA, and the completed transfer's among groups. */
export const TAKEN_REFERENCES = { credit: 'hostile-fixture-credit', transfer: 'hostile-fixture-transfer' } as const;

/** Transactions and groups at every point of their life, on usdA, for the lifecycle routes to refuse. */
export interface LifecycleTargets {
  /** A confirmed credit on usdA, partly reversed: CREDIT_LEFT_MINOR is left to reverse. */
  readonly credit: string;
  /** The reversal of part of `credit`: a reversal is never reversed. */
  readonly reversal: string;
  /** A rejected hold on usdA: neither pending nor reversible. */
  readonly rejectedHold: string;
  /** The credit leg on usdA of the pending `group`: settled and reversed only through its group. */
  readonly pendingLeg: string;
  /** A completed transfer from usdA to usdB: reversible. */
  readonly completedGroup: string;
  /** The debit leg on usdA of `completedGroup`. */
  readonly completedLeg: string;
  /** A completed transfer that was reversed, and the group that reversed it: neither is reversible. */
  readonly reversedGroup: string;
  readonly reversalGroup: string;
}

/** What the hostile requests aim at: real wallets, a pending hold and group, keys of every shape. */
export interface Fixture extends LifecycleTargets {
  readonly usdA: string;
  readonly usdB: string;
  readonly eur: string;
  /** A pending debit of HOLD_MINOR on usdA, without expiry. */
  readonly hold: string;
  /** A pending group: debit usdB, credit usdA. */
  readonly group: string;
  readonly spareKeyId: string;
  /** An enabled webhook endpoint made with the admin key, starting at NEVER_REACHED_POSITION. */
  readonly endpoint: string;
  readonly secrets: {
    readonly readOnly: string;
    readonly revoked: string;
    readonly expired: string;
    readonly stranger: string;
    /** Every scope but webhooks:manage and admin. */
    readonly noWebhooks: string;
    /** webhooks:manage, bound to the stranger: the admin's endpoint and usdA are not its own. */
    readonly webhookStranger: string;
  };
}

async function created<T = any>(promise: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const result = await promise;
  if (result.status !== 201 && result.status !== 200) throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

export async function buildFixture(app: TestApp): Promise<Fixture> {
  const base = app.baseUrl;
  const usdA = await fundedWallet(base, '1000');
  const usdB = await fundedWallet(base, '500');
  const eur = await fundedWallet(base, '700', 'EUR');
  const hold = await created(post(base, `/v1/wallets/${usdA}/transactions`, { type: 'debit', amount: HOLD_MINOR.toString(), pending: true }), 'hold');
  const group = await created(
    post(base, '/v1/transaction-groups', { pending: true, transactions: [{ walletId: usdB, type: 'debit', amount: '50' }, { walletId: usdA, type: 'credit', amount: '50' }] }),
    'pending group',
  );
  const lifecycle = await lifecycleTargets(app, usdA, usdB, group.group);
  const newKey = (body: object) => created(post(base, '/v1/api-keys', body), 'API key');
  const readOnly = await newKey({ name: 'read only', scopes: ['wallets:read', 'events:read'] });
  const revoked = await newKey({ name: 'revoked', scopes: ['admin'] });
  await created(post(base, `/v1/api-keys/${revoked.key.id}/revoke`), 'revocation');
  // Made valid, then left to expire: the test does not lean on a key being made already expired.
  const expiresAt = Date.now() + 300;
  const expired = await newKey({ name: 'expired', scopes: ['admin'], expiresAt: new Date(expiresAt).toISOString() });
  const stranger = await newKey({ name: 'stranger', scopes: ['wallets:read', 'wallets:write'], owner: { ownerType: 'user', ownerRef: 'stranger' } });
  const spare = await newKey({ name: 'spare', scopes: ['wallets:read'] });
  const noWebhooks = await newKey({ name: 'no webhooks', scopes: ['wallets:read', 'wallets:write', 'events:read'] });
  const webhookStranger = await newKey({ name: 'webhook stranger', scopes: ['webhooks:manage'], owner: { ownerType: 'user', ownerRef: 'stranger' } });
  const endpoint = await created(post(base, '/v1/webhook-endpoints', { url: UNCALLED_WEBHOOK_URL, after: NEVER_REACHED_POSITION }), 'webhook endpoint');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt + 50 - Date.now())));
  return {
    usdA,
    usdB,
    eur,
    hold: hold.transaction.id,
    group: group.group.id,
    ...lifecycle,
    spareKeyId: spare.key.id,
    endpoint: endpoint.id,
    secrets: {
      readOnly: readOnly.secret,
      revoked: revoked.secret,
      expired: expired.secret,
      stranger: stranger.secret,
      noWebhooks: noWebhooks.secret,
      webhookStranger: webhookStranger.secret,
    },
  };
}

async function lifecycleTargets(app: TestApp, usdA: string, usdB: string, pendingGroup: { transactions: { id: string }[] }): Promise<LifecycleTargets> {
  const base = app.baseUrl;
  const transactions = `/v1/wallets/${usdA}/transactions`;
  const credit = await created(post(base, transactions, { type: 'credit', amount: (CREDIT_LEFT_MINOR + 10n).toString(), reference: TAKEN_REFERENCES.credit }), 'credit');
  const reversal = await created(post(base, `${transactions}/${credit.transaction.id}/reverse`, { amount: '10', reason: 'partly refunded' }), 'partial reversal');
  const rejectedHold = await created(post(base, transactions, { type: 'debit', amount: '5', pending: true }), 'hold to reject');
  await created(post(base, `${transactions}/${rejectedHold.transaction.id}/reject`), 'rejection');
  const completedGroup = await created(post(base, '/v1/transfers', { fromWalletId: usdA, toWalletId: usdB, amount: '30', reference: TAKEN_REFERENCES.transfer }), 'transfer');
  const reversedGroup = await created(post(base, '/v1/transfers', { fromWalletId: usdB, toWalletId: usdA, amount: '20' }), 'transfer to reverse');
  const reversalGroup = await created(post(base, `/v1/transaction-groups/${reversedGroup.group.id}/reverse`, { reason: 'sent twice' }), 'group reversal');
  return {
    credit: credit.transaction.id,
    reversal: reversal.transaction.id,
    rejectedHold: rejectedHold.transaction.id,
    pendingLeg: pendingGroup.transactions[1]!.id,
    completedGroup: completedGroup.group.id,
    completedLeg: completedGroup.group.transactions[0].id,
    reversedGroup: reversedGroup.group.id,
    reversalGroup: reversalGroup.group.id,
  };
}

/**
 * Sends every route's valid body once (on a hold, a credit and groups of their own where it
 * settles or reverses one), before the state is recorded: so a mutated body is refused for its
 * mutation, not because the body it started from was never valid.
 */
export async function proveValidBodiesAreValid(app: TestApp, fixture: Fixture): Promise<void> {
  const base = app.baseUrl;
  const { usdA, usdB } = fixture;
  // Room for the partial capture, the increase and the reject, in that order.
  const hold = await created(post(base, `/v1/wallets/${usdA}/transactions`, { type: 'debit', amount: '20', pending: true }), 'hold');
  const credit = await created(post(base, `/v1/wallets/${usdA}/transactions`, { type: 'credit', amount: '5' }), 'credit');
  const group = await created(
    post(base, '/v1/transaction-groups', { pending: true, transactions: [{ walletId: usdA, type: 'debit', amount: '1' }, { walletId: usdB, type: 'credit', amount: '1' }] }),
    'group',
  );
  const completedGroup = await created(post(base, '/v1/transfers', { fromWalletId: usdA, toWalletId: usdB, amount: '1' }), 'transfer');
  const own = { hold: hold.transaction.id, credit: credit.transaction.id, group: group.group.id, completedGroup: completedGroup.group.id };
  for (const route of writeRoutes({ ...fixture, ...own })) {
    await created(post(base, route.path, route.valid()), `the valid body of "${route.name}"`);
  }
  // The endpoint's bodiless actions, leaving it enabled; its secret is rotated before the state is recorded.
  for (const action of WEBHOOK_ENDPOINT_ACTIONS) {
    await created(post(base, `/v1/webhook-endpoints/${fixture.endpoint}/${action}`), `${action} the webhook endpoint`);
  }
}

/** The balance of each of the fixture's wallets, by wallet id. */
export async function fixtureBalances(app: TestApp, fixture: Fixture): Promise<Record<string, Balance>> {
  const ids = [fixture.usdA, fixture.usdB, fixture.eur];
  const balances = await Promise.all(ids.map((id) => balanceOf(app, id)));
  return Object.fromEntries(ids.map((id, index) => [id, balances[index]!]));
}

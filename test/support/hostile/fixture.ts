import { fundedWallet, post } from '../http';
import type { TestApp } from '../test-app';
import { type Balance, balanceOf } from './database-state';
import { writeRoutes } from './write-routes';

/** What the hostile requests aim at: real wallets, a pending hold and group, keys of every shape. */
export interface Fixture {
  readonly usdA: string;
  readonly usdB: string;
  readonly eur: string;
  /** A pending debit on usdA. */
  readonly hold: string;
  /** A pending group: debit usdB, credit usdA. */
  readonly group: string;
  readonly spareKeyId: string;
  readonly secrets: { readonly readOnly: string; readonly revoked: string; readonly expired: string; readonly stranger: string };
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
  const hold = await created(post(base, `/v1/wallets/${usdA}/transactions`, { type: 'debit', amount: '100', pending: true }), 'hold');
  const group = await created(
    post(base, '/v1/transaction-groups', { pending: true, transactions: [{ walletId: usdB, type: 'debit', amount: '50' }, { walletId: usdA, type: 'credit', amount: '50' }] }),
    'pending group',
  );
  const newKey = (body: object) => created(post(base, '/v1/api-keys', body), 'API key');
  const readOnly = await newKey({ name: 'read only', scopes: ['wallets:read', 'events:read'] });
  const revoked = await newKey({ name: 'revoked', scopes: ['admin'] });
  await created(post(base, `/v1/api-keys/${revoked.key.id}/revoke`), 'revocation');
  // Made valid, then left to expire: the test does not lean on a key being made already expired.
  const expiresAt = Date.now() + 300;
  const expired = await newKey({ name: 'expired', scopes: ['admin'], expiresAt: new Date(expiresAt).toISOString() });
  const stranger = await newKey({ name: 'stranger', scopes: ['wallets:read', 'wallets:write'], owner: { ownerType: 'user', ownerRef: 'stranger' } });
  const spare = await newKey({ name: 'spare', scopes: ['wallets:read'] });
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt + 50 - Date.now())));
  return {
    usdA,
    usdB,
    eur,
    hold: hold.transaction.id,
    group: group.group.id,
    spareKeyId: spare.key.id,
    secrets: { readOnly: readOnly.secret, revoked: revoked.secret, expired: expired.secret, stranger: stranger.secret },
  };
}

/**
 * Sends every route's valid body once (on a hold and a group of their own where it settles
 * one), before the state is recorded: so a mutated body is refused for its mutation, not
 * because the body it started from was never valid.
 */
export async function proveValidBodiesAreValid(app: TestApp, fixture: Fixture): Promise<void> {
  const hold = await created(post(app.baseUrl, `/v1/wallets/${fixture.usdA}/transactions`, { type: 'debit', amount: '1', pending: true }), 'hold');
  const group = await created(
    post(app.baseUrl, '/v1/transaction-groups', { pending: true, transactions: [{ walletId: fixture.usdA, type: 'debit', amount: '1' }, { walletId: fixture.usdB, type: 'credit', amount: '1' }] }),
    'group',
  );
  for (const route of writeRoutes({ ...fixture, hold: hold.transaction.id, group: group.group.id })) {
    await created(post(app.baseUrl, route.path, route.valid()), `the valid body of "${route.name}"`);
  }
}

/** The balance of each of the fixture's wallets, by wallet id. */
export async function fixtureBalances(app: TestApp, fixture: Fixture): Promise<Record<string, Balance>> {
  const ids = [fixture.usdA, fixture.usdB, fixture.eur];
  const balances = await Promise.all(ids.map((id) => balanceOf(app, id)));
  return Object.fromEntries(ids.map((id, index) => [id, balances[index]!]));
}

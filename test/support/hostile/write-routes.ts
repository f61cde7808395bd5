import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { KNOWN_TYPES } from '../../../apps/wallet-api/src/feed/feed.dto';
import type { Fixture } from './fixture';
import type { HostileRequest } from './hostile-request';
import {
  badAmount,
  badCurrency,
  badEnum,
  badEventTypes,
  badKeyName,
  badMetadata,
  badOverdraftLimit,
  badPosition,
  badRateLimit,
  badReference,
  badScopes,
  badSlug,
  badText,
  badTimestamp,
  badWebhookUrl,
  malformedTimestamp,
  notABoolean,
  notAnArray,
  notAnObject,
  notAUuid,
} from './refused-values';

/** Where a field sits in a body: keys and array indexes from the top. */
export type FieldPath = readonly (string | number)[];

/** A write route, its valid body and how each field can be made invalid. */
export interface WriteRoute {
  readonly name: string;
  readonly path: string;
  readonly valid: () => Record<string, unknown>;
  /** Objects that refuse unknown keys, with the keys they know. */
  readonly strict: readonly { readonly at: FieldPath; readonly allowed: readonly string[] }[];
  /** Fields, each with values it must refuse. */
  readonly fields: readonly { readonly at: FieldPath; readonly bad: fc.Arbitrary<unknown> }[];
  /** No body, or `{}`, is itself a valid request here. */
  readonly bareIsValid?: boolean;
}

/**
 * Where the fixture's webhook endpoints start: far past any head the run reaches, so that
 * nothing is ever due to them and their rows stay as they are.
 */
export const NEVER_REACHED_POSITION = '1000000000000000';
/** Where a webhook endpoint would deliver: the discard port, never called (see NEVER_REACHED_POSITION). */
export const UNCALLED_WEBHOOK_URL = 'http://127.0.0.1:9/hooks';

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const OWNER_KEYS = ['ownerType', 'ownerRef'];
const TRANSACTION_KEYS = ['type', 'amount', 'description', 'metadata', 'reference', 'pending', 'expiresAt'];
/**
 * A reference no request has used: a valid body may be sent more than once (to prove it
 * valid, then mutated), and a reused reference would be refused for that alone.
 */
const freshReference = () => `hostile-${randomUUID()}`;
const LEG_KEYS = ['walletId', 'type', 'amount', 'description'];
const TYPES = ['credit', 'debit'];

/** A wallet reference that names nothing: not a UUID, or a UUID no wallet has. */
const badWalletRef = fc.oneof(notAUuid, fc.uuid());

const tooManyLegs = (fixture: RouteTargets) =>
  Array.from({ length: 101 }, (_, index) => ({ walletId: index % 2 === 0 ? fixture.usdA : fixture.usdB, type: index % 2 === 0 ? 'debit' : 'credit', amount: '1' }));

const badLegs = (fixture: RouteTargets) =>
  fc.oneof(
    notAnArray,
    fc.constantFrom([], [{ walletId: fixture.usdA, type: 'debit', amount: '1' }], tooManyLegs(fixture)),
    fc.constantFrom(null, 'leg', [], 7).map((odd) => [{ walletId: fixture.usdA, type: 'debit', amount: '1' }, odd]),
  );

const badOwners = fc.oneof(
  notAnArray,
  fc.constant(Array.from({ length: 101 }, (_, index) => ({ ownerType: 'user', ownerRef: `u-${index}` }))),
  fc.constantFrom([null], [[]], ['user'], [{}]),
);

/** Reasons a reject refuses: bad text, or "expired", which is kept for holds the service expires. */
export const badReason = fc.oneof(badText(500), fc.constant('expired'));

/** The targets the write routes name: a valid body on any of them would change the state. */
export type RouteTargets = Pick<Fixture, 'usdA' | 'usdB' | 'hold' | 'group' | 'credit' | 'completedGroup' | 'endpoint'>;

/**
 * Every write route that takes a body, in the order the generators draw from. The hold is
 * captured in part and increased before it is rejected, so that each valid body can be
 * shown valid once on targets of its own.
 */
export function writeRoutes(fixture: RouteTargets): WriteRoute[] {
  const { usdA, usdB, hold, group } = fixture;
  const transaction = (id: string, action: string) => `/v1/wallets/${usdA}/transactions/${id}/${action}`;
  return [
    openWallet(),
    addOwner(usdA),
    setOverdraftLimit(usdA),
    credit(usdA),
    holdDebit(usdB),
    capture(transaction(hold, 'confirm')),
    increase(transaction(hold, 'increase')),
    reject('reject the hold', transaction(hold, 'reject')),
    reverseTransaction(transaction(fixture.credit, 'reverse')),
    openGroup(fixture),
    transfer(usdA, usdB),
    reject('reject the group', `/v1/transaction-groups/${group}/reject`),
    reverseGroup(`/v1/transaction-groups/${fixture.completedGroup}/reverse`),
    newApiKey(),
    newWebhookEndpoint(usdA),
    replayEndpoint(fixture.endpoint),
  ];
}

/** The webhook endpoint's actions that take no body. */
export const WEBHOOK_ENDPOINT_ACTIONS = ['disable', 'enable', 'rotate-secret'] as const;

/** The route's valid body, as a request: what it would take. */
export const validWrite = (route: WriteRoute): HostileRequest => ({ label: route.name, method: 'POST', path: route.path, body: JSON.stringify(route.valid()) });

/** Any valid write, with the admin key: what the hostile credentials and headers are tried on. */
export function validWrites(fixture: Fixture): HostileRequest[] {
  const bodied = writeRoutes(fixture).map(validWrite);
  const bodyless = [
    { label: 'confirm the hold', method: 'POST', path: `/v1/wallets/${fixture.usdA}/transactions/${fixture.hold}/confirm` },
    { label: 'confirm the group', method: 'POST', path: `/v1/transaction-groups/${fixture.group}/confirm` },
    { label: 'revoke a key', method: 'POST', path: `/v1/api-keys/${fixture.spareKeyId}/revoke` },
    ...WEBHOOK_ENDPOINT_ACTIONS.map((action) => ({ label: `${action} the webhook endpoint`, method: 'POST', path: `/v1/webhook-endpoints/${fixture.endpoint}/${action}` })),
  ];
  return [...bodied, ...bodyless];
}

const openWallet = (): WriteRoute => ({
  name: 'open a wallet',
  path: '/v1/wallets',
  valid: () => ({ type: 'main', currency: 'USD', owners: [{ ownerType: 'user', ownerRef: 'u-1' }], metadata: { note: 'n' }, overdraftLimit: '100' }),
  strict: [
    { at: [], allowed: ['type', 'currency', 'owners', 'metadata', 'overdraftLimit'] },
    { at: ['owners', 0], allowed: OWNER_KEYS },
  ],
  fields: [
    { at: ['type'], bad: badSlug },
    { at: ['currency'], bad: badCurrency },
    { at: ['owners'], bad: badOwners },
    { at: ['owners', 0], bad: notAnObject },
    { at: ['owners', 0, 'ownerType'], bad: badSlug },
    { at: ['owners', 0, 'ownerRef'], bad: badText(255) },
    { at: ['metadata'], bad: badMetadata },
    { at: ['overdraftLimit'], bad: badOverdraftLimit },
  ],
});

const addOwner = (walletId: string): WriteRoute => ({
  name: 'add an owner',
  path: `/v1/wallets/${walletId}/owners`,
  valid: () => ({ ownerType: 'user', ownerRef: 'u-2' }),
  strict: [{ at: [], allowed: OWNER_KEYS }],
  fields: [
    { at: ['ownerType'], bad: badSlug },
    { at: ['ownerRef'], bad: badText(255) },
  ],
});

/** "0": the limit the fixture's wallets have, so the domain refusals' amounts stay out of reach. */
const setOverdraftLimit = (walletId: string): WriteRoute => ({
  name: 'set the overdraft limit',
  path: `/v1/wallets/${walletId}/overdraft-limit`,
  valid: () => ({ overdraftLimit: '0' }),
  strict: [{ at: [], allowed: ['overdraftLimit'] }],
  fields: [{ at: ['overdraftLimit'], bad: badOverdraftLimit }],
});

const credit = (walletId: string): WriteRoute => ({
  name: 'credit',
  path: `/v1/wallets/${walletId}/transactions`,
  valid: () => ({ type: 'credit', amount: '10', description: 'd', metadata: { k: 'v' }, reference: freshReference() }),
  strict: [{ at: [], allowed: TRANSACTION_KEYS }],
  fields: [
    { at: ['type'], bad: badEnum(TYPES) },
    { at: ['amount'], bad: badAmount },
    { at: ['description'], bad: badText(500) },
    { at: ['metadata'], bad: badMetadata },
    { at: ['reference'], bad: badReference },
    { at: ['pending'], bad: notABoolean },
    // Not pending: an expiry is refused, even a valid one.
    { at: ['expiresAt'], bad: fc.oneof(badTimestamp, fc.constant(inAnHour())) },
  ],
});

const holdDebit = (walletId: string): WriteRoute => ({
  name: 'hold',
  path: `/v1/wallets/${walletId}/transactions`,
  valid: () => ({ type: 'debit', amount: '10', pending: true, expiresAt: inAnHour() }),
  strict: [{ at: [], allowed: TRANSACTION_KEYS }],
  fields: [
    { at: ['type'], bad: badEnum(TYPES) },
    { at: ['amount'], bad: badAmount },
    { at: ['pending'], bad: fc.oneof(notABoolean, fc.constant(false)) },
    { at: ['expiresAt'], bad: badTimestamp },
    { at: ['metadata'], bad: badMetadata },
    { at: ['reference'], bad: badReference },
  ],
});

const reject = (name: string, path: string): WriteRoute => ({
  name,
  path,
  valid: () => ({ reason: 'not wanted' }),
  strict: [{ at: [], allowed: ['reason'] }],
  fields: [{ at: ['reason'], bad: badReason }],
  bareIsValid: true,
});

/** A partial capture that keeps the rest held: the hold holds more than 10. */
const capture = (path: string): WriteRoute => ({
  name: 'capture the hold',
  path,
  valid: () => ({ amount: '10', final: false }),
  strict: [{ at: [], allowed: ['amount', 'final'] }],
  fields: [
    { at: ['amount'], bad: badAmount },
    { at: ['final'], bad: notABoolean },
  ],
  bareIsValid: true,
});

const increase = (path: string): WriteRoute => ({
  name: 'increase the hold',
  path,
  valid: () => ({ amount: '10' }),
  strict: [{ at: [], allowed: ['amount'] }],
  fields: [{ at: ['amount'], bad: badAmount }],
});

/** A partial reversal of a confirmed credit, under a reference of its own. */
const reverseTransaction = (path: string): WriteRoute => ({
  name: 'reverse the credit',
  path,
  valid: () => ({ amount: '1', reason: 'refund', metadata: { k: 'v' }, reference: freshReference() }),
  strict: [{ at: [], allowed: ['amount', 'reason', 'metadata', 'reference'] }],
  fields: [
    { at: ['amount'], bad: badAmount },
    // Any text is a reason here ("expired" too): only what no text field takes is refused.
    { at: ['reason'], bad: badText(500) },
    { at: ['metadata'], bad: badMetadata },
    { at: ['reference'], bad: badReference },
  ],
  bareIsValid: true,
});

const reverseGroup = (path: string): WriteRoute => ({
  name: 'reverse the group',
  path,
  valid: () => ({ reason: 'sent twice', reference: freshReference() }),
  strict: [{ at: [], allowed: ['reason', 'reference'] }],
  fields: [
    { at: ['reason'], bad: badText(500) },
    { at: ['reference'], bad: badReference },
  ],
  bareIsValid: true,
});

const openGroup = (fixture: RouteTargets): WriteRoute => ({
  name: 'group',
  path: '/v1/transaction-groups',
  valid: () => ({
    description: 'g',
    pending: true,
    expiresAt: inAnHour(),
    metadata: { k: 'v' },
    reference: freshReference(),
    transactions: [
      { walletId: fixture.usdA, type: 'debit', amount: '10', description: 'leg' },
      { walletId: fixture.usdB, type: 'credit', amount: '10' },
    ],
  }),
  strict: [
    { at: [], allowed: ['description', 'pending', 'expiresAt', 'metadata', 'reference', 'transactions'] },
    { at: ['transactions', 0], allowed: LEG_KEYS },
    { at: ['transactions', 1], allowed: LEG_KEYS },
  ],
  fields: [
    { at: ['description'], bad: badText(500) },
    { at: ['pending'], bad: fc.oneof(notABoolean, fc.constant(false)) },
    { at: ['expiresAt'], bad: badTimestamp },
    { at: ['metadata'], bad: badMetadata },
    { at: ['reference'], bad: badReference },
    { at: ['transactions'], bad: badLegs(fixture) },
    { at: ['transactions', 0], bad: notAnObject },
    { at: ['transactions', 0, 'walletId'], bad: badWalletRef },
    { at: ['transactions', 0, 'type'], bad: badEnum(TYPES) },
    { at: ['transactions', 0, 'amount'], bad: badAmount },
    { at: ['transactions', 0, 'description'], bad: badText(500) },
    { at: ['transactions', 1, 'walletId'], bad: badWalletRef },
    { at: ['transactions', 1, 'amount'], bad: badAmount },
  ],
});

const transfer = (from: string, to: string): WriteRoute => ({
  name: 'transfer',
  path: '/v1/transfers',
  valid: () => ({ fromWalletId: from, toWalletId: to, amount: '10', description: 't', reference: freshReference() }),
  strict: [{ at: [], allowed: ['fromWalletId', 'toWalletId', 'amount', 'description', 'pending', 'reference'] }],
  fields: [
    { at: ['fromWalletId'], bad: badWalletRef },
    { at: ['toWalletId'], bad: fc.oneof(badWalletRef, fc.constantFrom(from, from.toUpperCase())) },
    { at: ['amount'], bad: badAmount },
    { at: ['description'], bad: badText(500) },
    { at: ['pending'], bad: notABoolean },
    { at: ['reference'], bad: badReference },
  ],
});

const newApiKey = (): WriteRoute => ({
  name: 'new API key',
  path: '/v1/api-keys',
  valid: () => ({ name: 'fuzz', scopes: ['wallets:read'], owner: { ownerType: 'user', ownerRef: 'u-1' } }),
  strict: [
    { at: [], allowed: ['name', 'scopes', 'owner', 'expiresAt', 'rateLimitPerSecond'] },
    { at: ['owner'], allowed: OWNER_KEYS },
  ],
  fields: [
    { at: ['name'], bad: badKeyName },
    // ['admin'] is refused too: the key has an owner.
    { at: ['scopes'], bad: badScopes },
    { at: ['owner'], bad: notAnObject },
    { at: ['owner', 'ownerType'], bad: badSlug },
    { at: ['owner', 'ownerRef'], bad: badText(255) },
    // A key may be made already expired; only a malformed moment is refused.
    { at: ['expiresAt'], bad: malformedTimestamp },
    { at: ['rateLimitPerSecond'], bad: badRateLimit },
  ],
});

/** Past the head, so that a valid body, once sent, leaves an endpoint with nothing ever to deliver. */
const newWebhookEndpoint = (walletId: string): WriteRoute => ({
  name: 'new webhook endpoint',
  path: '/v1/webhook-endpoints',
  valid: () => ({ url: UNCALLED_WEBHOOK_URL, types: ['FundsCredited', 'HoldPlaced'], walletId, description: 'd', after: NEVER_REACHED_POSITION }),
  strict: [{ at: [], allowed: ['url', 'types', 'walletId', 'description', 'after'] }],
  fields: [
    { at: ['url'], bad: badWebhookUrl },
    { at: ['types'], bad: badEventTypes(KNOWN_TYPES) },
    { at: ['walletId'], bad: badWalletRef },
    { at: ['description'], bad: badText(500) },
    { at: ['after'], bad: badPosition },
  ],
});

const replayEndpoint = (endpointId: string): WriteRoute => ({
  name: 'replay the webhook endpoint',
  path: `/v1/webhook-endpoints/${endpointId}/replay`,
  valid: () => ({ after: NEVER_REACHED_POSITION }),
  strict: [{ at: [], allowed: ['after'] }],
  fields: [{ at: ['after'], bad: badPosition }],
});

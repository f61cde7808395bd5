import fc from 'fast-check';
import { couldTake } from './body-mutations';
import type { Fixture } from './fixture';
import type { HostileRequest } from './hostile-request';
import { anyText, asciiText, hostileKey } from './refused-values';
import { badReason } from './write-routes';

/** Rejections first: while the hold and the group are still pending their refusals mean something. */
export const SETTLING_TARGETS = [
  'reject the hold',
  'reject the group',
  'confirm the hold',
  'confirm the group',
  'revoke a key',
  'disable the webhook endpoint',
  'enable the webhook endpoint',
  "rotate the webhook endpoint's secret",
] as const;

export type SettlingTarget = (typeof SETTLING_TARGETS)[number];

/** The keys each route knows: a body with no others might be one it takes. */
const KNOWN_KEYS: Record<SettlingTarget, readonly string[]> = {
  'reject the hold': ['reason'],
  'reject the group': ['reason'],
  'confirm the hold': ['amount', 'final'],
  'confirm the group': [],
  'revoke a key': [],
  'disable the webhook endpoint': [],
  'enable the webhook endpoint': [],
  "rotate the webhook endpoint's secret": [],
};

/** Bodies for routes that take none (a group's confirm, revoke, a webhook endpoint's disable, enable and rotate-secret), only an optional `{ reason }` (reject) or `{ amount, final }` (a hold's confirm). */
export function settlingRequests(fixture: Fixture, target: SettlingTarget): fc.Arbitrary<HostileRequest> {
  const { usdA, hold, group, spareKeyId, endpoint } = fixture;
  const paths: Record<SettlingTarget, string> = {
    'reject the hold': `/v1/wallets/${usdA}/transactions/${hold}/reject`,
    'reject the group': `/v1/transaction-groups/${group}/reject`,
    'confirm the hold': `/v1/wallets/${usdA}/transactions/${hold}/confirm`,
    'confirm the group': `/v1/transaction-groups/${group}/confirm`,
    'revoke a key': `/v1/api-keys/${spareKeyId}/revoke`,
    'disable the webhook endpoint': `/v1/webhook-endpoints/${endpoint}/disable`,
    'enable the webhook endpoint': `/v1/webhook-endpoints/${endpoint}/enable`,
    "rotate the webhook endpoint's secret": `/v1/webhook-endpoints/${endpoint}/rotate-secret`,
  };
  const unknownFields = fc.dictionary(fc.oneof(hostileKey, asciiText(1, 12)), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 3 }).map((object) => ({ ...object, force: true }));
  // Invalid on every one of these routes: unknown fields, not an object, not JSON, a bad reason.
  const neverValid = fc.oneof(
    unknownFields.map((object) => JSON.stringify(object)),
    fc.constantFrom('{"force":true}', '{"reason":"x","force":true}', '{"status":"confirmed"}', '[]', '[{}]', '"confirm"', '7', 'null', 'true', '{"reason":', '{', 'confirm', '{"__proto__":{"x":1}}'),
    badReason.map((reason) => JSON.stringify({ reason })),
    badReason.map((reason) => JSON.stringify({ reason, extra: 1 })),
  );
  // Random bodies, less what the route could take: no body or `{}` anywhere, `{ reason }` on a reject, `{ amount, final }` on a hold's confirm.
  const random = fc.oneof(fc.jsonValue().map((value) => JSON.stringify(value) ?? 'null'), anyText(100)).filter((text) => !couldTake(text, KNOWN_KEYS[target]));
  return fc.oneof(neverValid, random).map((text) => ({ label: `${target} with a body`, method: 'POST', path: paths[target], body: text }));
}

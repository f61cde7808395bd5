import fc from 'fast-check';
import { TEST_ADMIN_KEY } from '../http';
import type { Fixture } from './fixture';
import { harmlessExtras } from './headers';
import type { HostileRequest } from './hostile-request';
import { asciiText } from './refused-values';
import { validWrites } from './write-routes';

interface Credential {
  readonly label: string;
  /** The Authorization value ('' sends none). */
  readonly value: string;
  readonly raw?: boolean;
  readonly expect: readonly number[];
}

function mutatedAdminKey(): fc.Arbitrary<string> {
  const key = TEST_ADMIN_KEY;
  const printable = asciiText(1, 1).filter((char) => char !== ' ');
  return fc
    .oneof(
      fc.integer({ min: 1, max: key.length - 1 }).map((length) => key.slice(0, length)),
      fc.integer({ min: 1, max: key.length - 1 }).map((from) => key.slice(from)),
      printable.map((char) => `${key}${char}`),
      printable.map((char) => `${char}${key}`),
      fc.tuple(fc.nat(key.length - 1), printable).map(([at, char]) => `${key.slice(0, at)}${char}${key.slice(at + 1)}`),
      fc.constantFrom(key.toUpperCase(), `${key}${key}`, `${key.slice(0, 10)} ${key.slice(10)}`, `${key} x`, `${key}\t`, 'wsk_', `"${key}"`, `<${key}>`),
    )
    .filter((mutated) => mutated.trim() !== key);
}

function hostileCredential(fixture: Fixture): fc.Arbitrary<Credential> {
  const key = TEST_ADMIN_KEY;
  const refused = (label: string) => (value: string): Credential => ({ label, value, expect: [401] });
  const { readOnly, revoked, expired } = fixture.secrets;
  return fc.oneof(
    fc.constant<Credential>({ label: 'no Authorization', value: '', expect: [401] }),
    asciiText(1, 200).filter((text) => !/^\s*bearer /i.test(text)).map(refused('garbage')),
    fc.constantFrom('Basic', 'Token', 'Digest', 'ApiKey', 'Bearer:', 'Bearer-', 'Beare', 'Bearerx', 'B', 'HOBA', 'Bearer\tBearer').map((scheme) => refused('wrong scheme')(`${scheme} ${key}`)),
    fc.constantFrom(`Basic ${Buffer.from(`admin:${key}`).toString('base64')}`, 'Bearer', 'Bearer ', key, `Bearer\t${key}`, `Bearer ${key},Bearer ${key}`).map(refused('wrong shape')),
    asciiText(1, 600).filter((token) => token.trim() !== key).map((token) => refused('Bearer of a random string')(`Bearer ${token}`)),
    mutatedAdminKey().map((token) => refused('Bearer of an almost-valid key')(`Bearer ${token}`)),
    fc.integer({ min: 513, max: 12_000 }).map((length) => refused('over-long Bearer')(`Bearer ${'k'.repeat(length)}`)),
    fc.integer({ min: 17_000, max: 40_000 }).map((length): Credential => ({ label: 'Authorization beyond the header limit', value: `Bearer ${'k'.repeat(length)}`, raw: true, expect: [431] })),
    fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
      .filter((text) => /[^\x00-\x7f]/.test(text) && !/[\r\n]/.test(text))
      .map((text): Credential => ({ label: 'non-ASCII Bearer', value: `Bearer ${text}`, raw: true, expect: /[\x00-\x08\x0a-\x1f\x7f]/.test(text) ? [400, 401] : [401] })),
    fc.constantFrom('\u0001', '\u0000', '\u007f', '\u001b[31m').map((control): Credential => ({ label: 'control character', value: `Bearer ${key}${control}`, raw: true, expect: [400, 401] })),
    fc.constant<Credential>({ label: 'read-only key', value: `Bearer ${readOnly}`, expect: [403] }),
    fc.constant<Credential>({ label: 'revoked key', value: `Bearer ${revoked}`, expect: [401] }),
    fc.constant<Credential>({ label: 'expired key', value: `Bearer ${expired}`, expect: [401] }),
  );
}

/** Valid writes with a missing, malformed, unknown, revoked, expired or under-scoped key, or another owner's (webhook endpoints' too). */
export function credentialRequests(fixture: Fixture): fc.Arbitrary<HostileRequest> {
  const writes = validWrites(fixture);
  const stranger = fc
    .constantFrom(...writes.filter((write) => write.path !== '/v1/wallets'))
    .map((write): HostileRequest => ({ ...write, label: `${write.label} with another owner's key`, headers: { authorization: `Bearer ${fixture.secrets.stranger}` }, expect: [403, 404] }));
  const hostile = fc.tuple(fc.constantFrom(...writes), hostileCredential(fixture), harmlessExtras).map(
    ([write, credential, extras]): HostileRequest => ({
      ...write,
      label: `${write.label}, ${credential.label}`,
      headers: { ...extras, authorization: credential.value },
      raw: credential.raw,
      expect: credential.expect,
    }),
  );
  // Webhook endpoints need webhooks:manage; with it, another owner's endpoint and wallet are unknown.
  const webhookWrites = writes.filter((write) => write.path.startsWith('/v1/webhook-endpoints'));
  const withoutScope = fc
    .constantFrom(...webhookWrites)
    .map((write): HostileRequest => ({ ...write, label: `${write.label} with a key without webhooks:manage`, headers: { authorization: `Bearer ${fixture.secrets.noWebhooks}` }, expect: [403] }));
  const webhookStranger = fc
    .constantFrom(...writes)
    .map((write): HostileRequest => ({
      ...write,
      label: `${write.label} with another owner's webhooks:manage key`,
      headers: { authorization: `Bearer ${fixture.secrets.webhookStranger}` },
      expect: webhookWrites.includes(write) ? [404] : [403],
    }));
  return fc.oneof({ weight: 12, arbitrary: hostile }, { weight: 1, arbitrary: stranger }, { weight: 1, arbitrary: withoutScope }, { weight: 1, arbitrary: webhookStranger });
}

import { createHash } from 'node:crypto';
import { type HashedContent, NO_PREVIOUS_HASH, canonicalContent, contentHash, linkHash } from './event-hash';

const event: HashedContent = {
  stream: 'wallet-1',
  id: '0190f5a4-7c3e-7a10-8b2d-3f4e5a6b7c8d',
  type: 'FundsCredited',
  schemaVersion: 1,
  data: { walletId: 'w-1', amount: '100', tags: ['a', 'b'], nested: { z: 1, a: null } },
  metadata: { correlationId: 'c-1', causationId: 'c-0' },
};

describe('content hash', () => {
  it('is the SHA-256 of the sorted, whitespace-free JSON of stream, id, type, schema version, data and metadata', () => {
    const expected =
      '{"data":{"amount":"100","nested":{"a":null,"z":1},"tags":["a","b"],"walletId":"w-1"},"id":"0190f5a4-7c3e-7a10-8b2d-3f4e5a6b7c8d",' +
      '"metadata":{"causationId":"c-0","correlationId":"c-1"},"schemaVersion":1,"stream":"wallet-1","type":"FundsCredited"}';
    expect(canonicalContent(event)).toBe(expected);
    expect(contentHash(event)).toEqual(createHash('sha256').update(expected, 'utf8').digest());
  });

  it('does not depend on the order of keys, at any depth', () => {
    const reordered: HashedContent = {
      metadata: { causationId: 'c-0', correlationId: 'c-1' },
      data: { nested: { a: null, z: 1 }, tags: ['a', 'b'], amount: '100', walletId: 'w-1' },
      schemaVersion: 1,
      type: 'FundsCredited',
      id: event.id,
      stream: 'wallet-1',
    };
    expect(contentHash(reordered)).toEqual(contentHash(event));
  });

  it.each<[string, Partial<HashedContent>]>([
    ['the stream', { stream: 'wallet-2' }],
    ['the id', { id: '0190f5a4-7c3e-7a10-8b2d-3f4e5a6b7c8e' }],
    ['the type', { type: 'FundsDebited' }],
    ['the schema version', { schemaVersion: 2 }],
    ['a value in data', { data: { ...(event.data as object), amount: '101' } }],
    ['a nested value in data', { data: { ...(event.data as object), nested: { z: 1, a: 0 } } }],
    ['the order of an array in data', { data: { ...(event.data as object), tags: ['b', 'a'] } }],
    ['a number in data written as a string', { data: { ...(event.data as object), nested: { z: '1', a: null } } }],
    ['the metadata', { metadata: { correlationId: 'c-1', causationId: 'c-0', idempotencyKey: 'k' } }],
  ])('changes with %s', (_field, change) => {
    expect(contentHash({ ...event, ...change })).not.toEqual(contentHash(event));
  });

  it('hashes the id as PostgreSQL prints a uuid, whatever its spelling', () => {
    const spellings = [event.id.toUpperCase(), event.id.replace(/-/g, ''), `{${event.id}}`];
    for (const id of spellings) expect(contentHash({ ...event, id })).toEqual(contentHash(event));
  });

  it('hashes what JSON keeps of a value: undefined fields dropped, dates as ISO strings', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const given = { ...event, data: { at, gone: undefined, list: [undefined, 1] } };
    const stored = { ...event, data: JSON.parse(JSON.stringify(given.data)) as unknown };
    expect(contentHash(given)).toEqual(contentHash(stored));
  });

  it('writes numbers, strings and literals as RFC 8785 does (its sample from section 3.2.2)', () => {
    const data = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    ) as unknown;
    const canonicalData = '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}';
    expect(canonicalContent({ ...event, data })).toContain(`{"data":${canonicalData},"id":`);
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 does (its sample from section 3.2.3)', () => {
    const data = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    // Parsed back, "1" would come first (JavaScript lists integer keys first): compare the text.
    const keys = [...canonicalContent({ ...event, data }).matchAll(/"([^"]*)":"[^"]*"[,}]/g)].map((match) => match[1]).slice(0, 7);
    expect(keys).toEqual(['\\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('refuses a cycle, as JSON.stringify does', () => {
    const data: Record<string, unknown> = {};
    data['self'] = data;
    expect(() => contentHash({ ...event, data })).toThrow(TypeError);
  });
});

describe('link hash', () => {
  it('is the SHA-256 of the previous hash, the content hash and revision, position and time as 8-byte big-endian integers', () => {
    const content = contentHash(event);
    const previous = createHash('sha256').update('previous').digest();
    const numbers = Buffer.from('0000000000000003' + '00000000000004d2' + '000642a0b1c2d3e4', 'hex');

    const hash = linkHash(previous, content, { revision: 3, position: 1234n, recordedAtMicros: 0x000642a0b1c2d3e4n });

    expect(hash).toEqual(createHash('sha256').update(Buffer.concat([previous, content, numbers])).digest());
  });

  it('starts every stream from 32 zero bytes', () => {
    expect(NO_PREVIOUS_HASH).toEqual(Buffer.alloc(32));
  });
});

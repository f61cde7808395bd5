import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import { ArrayParams } from './array-params';

/**
 * Every column goes to the server as binary when it can and as text when it cannot; either
 * way the server must read exactly what it reads from the plain text array pg would send.
 */
describe('ArrayParams', () => {
  let database: TestDatabase;

  beforeAll(async () => (database = await createTestDatabase(2)));
  afterAll(() => database.drop());

  /** The array as the server reads it from the encoded parameter, and from pg's own text array. */
  async function asServerReads<V>(encode: (params: ArrayParams, rows: readonly V[]) => string, values: readonly V[], plain: readonly unknown[] = values): Promise<{ encoded: unknown; text: unknown }> {
    const params = new ArrayParams();
    const placeholder = encode(params, values);
    const cast = placeholder.slice(placeholder.indexOf('::'));
    const { rows } = await database.pool.query<{ encoded: unknown; text: unknown }>(`select ${placeholder}::text as encoded, $2${cast}::text as text`, [...params.values, plain]);
    return rows[0]!;
  }

  const same = async <V>(encode: (params: ArrayParams, rows: readonly V[]) => string, values: readonly V[], plain?: readonly unknown[]): Promise<void> => {
    const { encoded, text } = await asServerReads(encode, values, plain);
    expect(encoded).toEqual(text);
  };

  it('writes uuids, nulls and empty arrays', async () => {
    await same((p, rows: readonly (string | null)[]) => p.uuid(rows, (v) => v), ['01a1fde4-2bc7-757a-b1e8-a7843fdae106', null, 'FFFFFFFF-0000-7000-8000-00000000000A']);
    await same((p, rows: readonly string[]) => p.uuid(rows, (v) => v), []);
  });

  it('reads uuids in other forms as the server does', async () => {
    await same((p, rows: readonly string[]) => p.uuid(rows, (v) => v), ['01a1fde4-2bc7-757a-b1e8-a7843fdae106', '{01a1fde42bc7757ab1e8a7843fdae106}']);
  });

  it('writes times to the microsecond, and reads times in other forms as the server does', async () => {
    const canonical = ['2025-01-01T00:00:00.000Z', '1999-12-31T23:59:59.999Z', '2024-02-29T12:00:00.001Z', '0100-03-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1900-02-28T10:10:10.500Z'];
    await same((p, rows: readonly (string | null)[]) => p.timestamptz(rows, (v) => v), [...canonical, null]);
    await same((p, rows: readonly string[]) => p.timestamptz(rows, (v) => v), ['2025-01-01T00:00:00.000Z', '2025-06-01T12:00:00+02:00', '2025-01-01T00:00:00.123456Z', '2025-01-01T00:00:00Z']);
  });

  it('refuses an impossible date as the server does', async () => {
    await expect(asServerReads((p, rows: readonly string[]) => p.timestamptz(rows, (v) => v), ['2025-02-29T00:00:00.000Z'])).rejects.toThrow(/out of range/);
  });

  it('writes 64- and 32-bit integers to their limits, and refuses them beyond as the server does', async () => {
    await same((p, rows: readonly bigint[]) => p.int8(rows, (v) => v), [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n)]);
    await same((p, rows: readonly number[]) => p.int4(rows, (v) => v), [0, -1, 2 ** 31 - 1, -(2 ** 31)]);
    await expect(asServerReads((p, rows: readonly bigint[]) => p.int8(rows, (v) => v), [2n ** 63n])).rejects.toThrow(/out of range/);
    await expect(asServerReads((p, rows: readonly number[]) => p.int4(rows, (v) => v), [2 ** 31])).rejects.toThrow(/out of range/);
  });

  it('writes text of any kind', async () => {
    const texts = ['', 'plain', 'with "quotes", commas, {braces} and \\backslashes\\', 'NULL', ' spaced ', 'é, 漢字 and 🎉', 'x'.repeat(300), null];
    await same((p, rows: readonly (string | null)[]) => p.text(rows, (v) => v), texts);
  });

  it('writes JSON as jsonb', async () => {
    const documents = [{}, { tier: 'gold', n: 1.5, ok: true, none: null }, { nested: { list: [1, 'two', { three: 3 }] }, text: 'é "q" \\ 🎉' }];
    await same((p, rows: readonly object[]) => p.jsonb(rows, (v) => v), documents, documents.map((document) => JSON.stringify(document)));
  });
});

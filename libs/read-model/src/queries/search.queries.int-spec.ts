import { createTestDatabase, type TestDatabase } from '@wallet/testing';
import { groupsStatement } from './group-search.queries';
import { metadataCandidates } from './metadata-filter';
import type { Statement } from './sql-params';
import { listTransactions, transactionsStatement } from './transaction-search.queries';
import { listWallets, walletsStatement } from './wallets.queries';

/**
 * The search statements on tables large enough for the planner to choose: a reference or a
 * metadata filter must be served by an index, never by reading a whole table. Rows are
 * written straight into the read model; what the searches answer is checked over HTTP in
 * test/search.e2e-spec.ts against a brute-force filter.
 */

const WALLETS = 2_000;
const TRANSACTIONS = 40_000;
const GROUPS = 5_000;
const SEARCHED_TABLES = ['transactions', 'transactions_archive', 'wallets', 'transaction_groups'];

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

describe('search statements use the indexes', () => {
  let database: TestDatabase;

  const plan = async ({ text, values }: Statement): Promise<PlanNode[]> => {
    const { rows } = await database.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`explain (format json) ${text}`, [...values]);
    return nodesOf(rows[0]!['QUERY PLAN'][0].Plan);
  };
  const seqScans = (nodes: PlanNode[]) => nodes.filter((node) => node['Node Type'] === 'Seq Scan' && SEARCHED_TABLES.includes(node['Relation Name'] ?? ''));
  const indexesUsed = (nodes: PlanNode[]) => new Set(nodes.flatMap((node) => node['Index Name'] ?? []));

  beforeAll(async () => {
    database = await createTestDatabase(4);
    const db = database.pool;
    await db.query(
      `insert into read_model.wallets (id, type, currency, metadata, created_at, updated_at, version, position, overdraft_limit)
       select gen_random_uuid(), 'user', 'EUR', jsonb_build_object('tier', i % 50, 'region', 'r' || (i % 97)), now(), now(), 1, i, 0
         from generate_series(1, ${WALLETS}) i`,
    );
    await db.query(
      `insert into read_model.balances (wallet_id, ledger, pending_debits, pending_credits, transaction_count, revision, position, events_since_snapshot, last_snapshot_at)
       select id, 0, 0, 0, 0, 1, position, 0, now() from read_model.wallets`,
    );
    await db.query(
      `insert into read_model.transaction_groups (id, status, metadata, created_at, updated_at, position, legs, reference)
       select gen_random_uuid(), 'completed', '{}', now(), now(), i, '[]', 'group-' || i from generate_series(1, ${GROUPS}) i`,
    );
    // Every fourth transaction is a leg of one of the groups.
    await db.query(
      `insert into read_model.transactions (id, wallet_id, type, amount, held_amount, captured_amount, released_amount, reversed_amount, status, metadata,
         position, created_position, created_at, updated_at, reference, group_id)
       select gen_random_uuid(), w.ids[1 + i % ${WALLETS}], 'credit', 10, 0, 10, 0, 0, 'confirmed',
              jsonb_build_object('order', 'o-' || i, 'shop', i % 300, 'vip', i % 7 = 0),
              i, i, now(), now(), 'ref-' || i, case when i % 4 = 1 then g.ids[1 + (i / 4) % ${GROUPS}] end
         from generate_series(1, ${TRANSACTIONS}) i,
              (select array_agg(id order by id) as ids from read_model.wallets) w,
              (select array_agg(id order by id) as ids from read_model.transaction_groups) g`,
    );
    // Half of them archived, so that both branches of a search are sizeable.
    await db.query(
      `with moved as (delete from read_model.transactions where created_position % 2 = 0 returning *)
       insert into read_model.transactions_archive select * from moved`,
    );
    await db.query('analyze read_model.wallets, read_model.transactions, read_model.transactions_archive, read_model.transaction_groups');
  });
  afterAll(() => database.drop());

  const everywhere = { order: 'desc' as const, limit: 51 };

  it('finds a reference across wallets through the reference indexes', async () => {
    const nodes = await plan(transactionsStatement({ ...everywhere, reference: 'ref-77' }));
    expect(seqScans(nodes)).toEqual([]);
    expect([...indexesUsed(nodes)]).toEqual(expect.arrayContaining(['transactions_reference_idx', 'transactions_archive_reference_idx']));
    expect((await listTransactions(database.pool, { ...everywhere, reference: 'ref-77' })).map((row) => row.metadata.order)).toEqual(['o-77']);
  });

  it('finds metadata matches across wallets through the GIN indexes, a key with two candidate values included', async () => {
    const nodes = await plan(transactionsStatement({ ...everywhere, metadata: { order: 'o-4242', shop: '42' } }));
    expect(seqScans(nodes)).toEqual([]);
    expect([...indexesUsed(nodes)]).toEqual(expect.arrayContaining(['transactions_metadata_idx', 'transactions_archive_metadata_idx']));
    const found = await listTransactions(database.pool, { ...everywhere, metadata: { order: 'o-4242', shop: '42' } });
    expect(found.map((row) => row.metadata)).toEqual([{ order: 'o-4242', shop: 42, vip: true }]);
  });

  it('pages a search without filters on the position indexes of both tables, never a whole-table read and sort', async () => {
    for (const filter of [everywhere, { order: 'asc' as const, limit: 51 }, { ...everywhere, beyondPosition: 20_001n }]) {
      const nodes = await plan(transactionsStatement(filter));
      expect({ filter, seqScans: seqScans(nodes) }).toEqual({ filter, seqScans: [] });
      expect([...indexesUsed(nodes)]).toEqual(expect.arrayContaining(['transactions_created_position_idx', 'transactions_archive_created_position_idx']));
    }
    const page = await listTransactions(database.pool, { ...everywhere, beyondPosition: 20_001n });
    expect(page.map((row) => [row.createdPosition, row.archived])).toEqual(Array.from({ length: 51 }, (_, k) => [BigInt(20_000 - k), k % 2 === 0]));
  });

  it("filters a wallet's history by reference and metadata on an index", async () => {
    const [{ id: walletId }] = (await database.pool.query<{ id: string }>('select wallet_id as id from read_model.transactions limit 1')).rows as [{ id: string }];
    for (const filter of [{ reference: 'ref-5' }, { metadata: { vip: 'true' } }]) {
      expect(seqScans(await plan(transactionsStatement({ ...everywhere, walletId, ...filter })))).toEqual([]);
    }
  });

  it('lists wallets by metadata through the GIN index', async () => {
    const nodes = await plan(walletsStatement({ metadata: { tier: '7', region: 'r7' }, limit: 51 }));
    expect(seqScans(nodes)).toEqual([]);
    expect([...indexesUsed(nodes)]).toContain('wallets_metadata_idx');
    const found = await listWallets(database.pool, { metadata: { tier: '7', region: 'r7' }, limit: 51 });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((wallet) => wallet.metadata.tier === 7 && wallet.metadata.region === 'r7')).toBe(true);
  });

  it("lists a wallet's or an owner's groups from their transactions, never reading every group", async () => {
    const [{ id: walletId }] = (await database.pool.query<{ id: string }>('select wallet_id as id from read_model.transactions where group_id is not null limit 1')).rows as [{ id: string }];
    for (const filter of [{ walletId }, { owner: { ownerType: 'user', ownerRef: 'nobody-holds-this' } }]) {
      const nodes = await plan(groupsStatement({ ...filter, limit: 51 }));
      expect({ filter, seqScans: seqScans(nodes) }).toEqual({ filter, seqScans: [] });
    }
  });

  it('finds a group by reference through its index', async () => {
    const nodes = await plan(groupsStatement({ reference: 'group-17', limit: 51 }));
    expect(seqScans(nodes)).toEqual([]);
    expect([...indexesUsed(nodes)]).toContain('transaction_groups_reference_idx');
  });
});

describe('metadata candidates', () => {
  it.each([
    ['gold', ['"gold"']],
    ['42', ['"42"', '42']],
    ['-4.5e10', ['"-4.5e10"', '-4.5e10']],
    ['true', ['"true"', 'true']],
    ['null', ['"null"', 'null']],
    ['042', ['"042"']],
    ['1e99999', ['"1e99999"']],
    ['', ['""']],
    ['say "hi"', ['"say \\"hi\\""']],
  ])('%j stands for %j', (text, candidates) => {
    expect(metadataCandidates(text)).toEqual(candidates);
  });
});

import { type WalletEvent, applyToBalance, decodeWalletEvent, zeroBalance } from '@wallet/domain';
import type { EventStore } from '@wallet/event-store';
import {
  T0,
  appendWalletEvents,
  catchUpToHead,
  confirmed,
  createStoreTestDatabase,
  readAllAtLeast,
  credited,
  debited,
  held,
  opened,
  rejected,
  type StoreTestDatabase,
  transactionIdN,
  walletIdN,
  limitSet,
} from '@wallet/testing';
import { isWalletEvent } from '../projector/batch-events';
import { Projector } from '../projector/projector';
import { rebuildReadModel } from '../rebuild/rebuild';
import { totalsAt } from './totals.queries';

const CURRENCIES = ['EUR', 'USD', 'JPY'] as const;
/** Two credits this big in one currency add up beyond int8: the totals must not. */
const HUGE = 5_000_000_000_000_000_000n;

/** A small deterministic generator (mulberry32): the same log on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A made-up log over several currencies: openings, credits, debits, holds settled or left pending, limits set. */
function randomLog(seed: number, steps: number, firstWallet: number): WalletEvent[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const wallets: { id: string; holds: { id: string; type: 'debit' | 'credit'; amount: bigint }[]; count: number }[] = [];
  const events: WalletEvent[] = [];
  const at = (): string => new Date(T0.getTime() + events.length * 60_000).toISOString();
  for (let step = 0; step < steps; step += 1) {
    if (wallets.length < 2 || next() < 0.15) {
      const id = walletIdN(firstWallet + wallets.length);
      wallets.push({ id, holds: [], count: 0 });
      events.push(opened({ walletId: id, currency: pick(CURRENCIES), overdraftLimit: next() < 0.3 ? 'unlimited' : undefined, openedAt: at() }));
      continue;
    }
    const wallet = pick(wallets);
    const walletId = wallet.id;
    const transactionId = transactionIdN(walletId, (wallet.count += 1));
    const amount = BigInt(1 + Math.floor(next() * 1_000));
    const roll = next();
    if (roll < 0.3) events.push(credited(transactionId, amount, { walletId, recordedAt: at() }));
    else if (roll < 0.5) events.push(debited(transactionId, amount, { walletId, recordedAt: at() }));
    else if (roll < 0.7) {
      const type = pick(['debit', 'credit'] as const);
      wallet.holds.push({ id: transactionId, type, amount });
      events.push(held(transactionId, type, amount, { walletId, recordedAt: at() }));
    } else if (roll < 0.9 && wallet.holds.length > 0) {
      const hold = wallet.holds.shift()!;
      const settle = next() < 0.5 ? confirmed : rejected;
      events.push(settle(hold.id, hold.type, hold.amount, { walletId }));
    } else {
      events.push(limitSet(amount, { walletId, setAt: at() }));
    }
  }
  return events;
}

/** Brute force: every wallet folded on its own up to `position`, then its currency's sums. */
function bruteForceTotals(log: readonly { position: bigint; event: WalletEvent }[], currency: string, position: bigint) {
  const currencies = new Map<string, string>();
  const balances = new Map<string, ReturnType<typeof applyToBalance>>();
  for (const { position: at, event } of log) {
    if (at > position) break;
    if (event.type === 'WalletOpened') currencies.set(event.data.walletId, event.data.currency);
    balances.set(event.data.walletId, applyToBalance(balances.get(event.data.walletId) ?? zeroBalance, event));
  }
  const totals = { currency, position, wallets: 0n, ledgerMinor: 0n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n };
  for (const [walletId, balance] of balances) {
    if (currencies.get(walletId) !== currency) continue;
    totals.wallets += 1n;
    totals.ledgerMinor += balance.ledgerMinor;
    totals.pendingDebitsMinor += balance.pendingDebitsMinor;
    totals.pendingCreditsMinor += balance.pendingCreditsMinor;
  }
  return totals;
}

describe('totals per currency', () => {
  let database: StoreTestDatabase;
  let log: { position: bigint; event: WalletEvent }[];
  let checkpoint: bigint;

  const project = (batchSizeMax: number): Promise<bigint> =>
    catchUpToHead(new Projector({ pool: database.pool, store: database.store, snapshotEvery: 5, batchSizeMax, log: () => undefined }), database.pool);

  /** What the balances table adds up to per currency: the other brute force, from the read model's own rows. */
  async function sumsOfBalances(): Promise<Record<string, unknown>[]> {
    const { rows } = await database.pool.query(
      `select w.currency, count(*)::text as wallets, sum(b.ledger)::text as ledger, sum(b.pending_debits)::text as pending_debits, sum(b.pending_credits)::text as pending_credits
         from read_model.wallets w join read_model.balances b on b.wallet_id = w.id group by w.currency order by w.currency`,
    );
    return rows;
  }

  async function currentTotals(): Promise<Record<string, unknown>[]> {
    const { rows } = await database.pool.query(
      'select currency, wallets::text, ledger::text, pending_debits::text, pending_credits::text from read_model.currency_totals order by currency',
    );
    return rows;
  }

  beforeAll(async () => {
    database = await createStoreTestDatabase(4);
    const parts = [randomLog(17, 60, 1), randomLog(18, 60, 100), randomLog(19, 40, 200)];
    // Projected part by part in batches of different sizes: the totals are kept across batches and runs.
    for (const [index, part] of parts.entries()) {
      await appendWalletEvents(database.store, part);
      checkpoint = await project([3, 7, 1][index]!);
      expect(await currentTotals()).toEqual(await sumsOfBalances());
    }
    // Two system wallets of one currency whose credits add up beyond int8.
    const huge = [walletIdN(900), walletIdN(901)].flatMap((walletId, k) => [
      opened({ walletId, currency: 'JPY', overdraftLimit: 'unlimited' }),
      credited(transactionIdN(walletId, k), HUGE, { walletId }),
    ]);
    await appendWalletEvents(database.store, huge);
    checkpoint = await project(2);
    // Appended after the last projection: totals at these positions come from the log alone.
    const tail = randomLog(20, 30, 300);
    await appendWalletEvents(database.store, tail);
    // The log shows an event once no older transaction of the server runs (other specs' too): wait for all of it.
    const recorded = await readAllAtLeast(database.store, 0n, parts.flat().length + huge.length + tail.length);
    log = recorded.filter(isWalletEvent).map((event) => ({ position: event.position, event: decodeWalletEvent(event) }));
  });
  afterAll(() => database.drop());

  it('keeps every currency equal to the sum of its wallets’ balances, beyond int8 included', async () => {
    const totals = await currentTotals();
    expect(totals).toEqual(await sumsOfBalances());
    expect(totals.map((row) => row['currency'])).toEqual(['EUR', 'JPY', 'USD']);
    expect(BigInt(totals.find((row) => row['currency'] === 'JPY')!['ledger'] as string)).toBeGreaterThan(2n * HUGE - 1n);
  });

  it('gives the current totals, without a position, as of the checkpoint', async () => {
    for (const currency of CURRENCIES) expect(await totalsAt(database.pool, database.store, currency, undefined)).toEqual(bruteForceTotals(log, currency, checkpoint));
  });

  it('gives the totals at every position of the log, projected or not yet, equal to a brute-force fold', async () => {
    const head = log[log.length - 1]!.position;
    expect(head).toBeGreaterThan(checkpoint);
    for (let position = 0n; position <= head; position += 1n) {
      for (const currency of CURRENCIES) {
        expect(await totalsAt(database.pool, database.store, currency, position)).toEqual(bruteForceTotals(log, currency, position));
      }
    }
  });

  it('reads at most one projector batch of the log for totals up to the checkpoint', async () => {
    let read = 0;
    let readMax = 0;
    const readAll = async (options: { after: bigint; maxCount: number }) => {
      const page = await database.store.readAll(options);
      read += page.length;
      return page;
    };
    // Only readAll is used by the replay: the store counts what it returns.
    const counting = { readAll } as unknown as EventStore;
    for (let position = 0n; position <= checkpoint; position += 1n) {
      for (const currency of CURRENCIES) {
        read = 0;
        expect(await totalsAt(database.pool, counting, currency, position)).toEqual(bruteForceTotals(log, currency, position));
        readMax = Math.max(readMax, read);
      }
    }
    // The largest batch above was 7 events; at least one position needed a replay.
    expect(readMax).toBeGreaterThan(0);
    expect(readMax).toBeLessThanOrEqual(7);
  });

  it('keeps a history row per currency only at positions of that currency’s events', async () => {
    const { rows } = await database.pool.query<{ currency: string; position: string }>('select currency, position from read_model.currency_totals_history');
    const currencyAt = new Map<bigint, string>();
    const walletCurrency = new Map<string, string>();
    for (const { position, event } of log) {
      if (event.type === 'WalletOpened') walletCurrency.set(event.data.walletId, event.data.currency);
      currencyAt.set(position, walletCurrency.get(event.data.walletId)!);
    }
    expect(rows.length).toBeGreaterThan(CURRENCIES.length);
    for (const row of rows) expect([row.currency, currencyAt.get(BigInt(row.position))]).toEqual([row.currency, row.currency]);
  });

  it('gives a currency without wallets zero totals', async () => {
    expect(await totalsAt(database.pool, database.store, 'CHF', 5n)).toEqual({ currency: 'CHF', position: 5n, wallets: 0n, ledgerMinor: 0n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n });
  });

  it('rebuilds the totals and their history with the read model, right at every position', async () => {
    const before = await currentTotals();

    const { checkpoint: rebuiltAt } = await rebuildReadModel({ pool: database.pool, store: database.store, snapshotEvery: 5, batchSizeMax: 11, log: () => undefined });

    // A replay can stop short of the head while another spec's transaction is open: the positions after it come from the log.
    expect(rebuiltAt).toBeGreaterThanOrEqual(checkpoint);
    expect(await currentTotals()).toEqual(await sumsOfBalances());
    expect((await currentTotals()).length).toBe(before.length);
    for (let position = 0n; position <= log[log.length - 1]!.position; position += 1n) {
      for (const currency of CURRENCIES) expect(await totalsAt(database.pool, database.store, currency, position)).toEqual(bruteForceTotals(log, currency, position));
    }
  });

  it('stays right at every position after the history is pruned to a coarser step as docs/operations.md says', async () => {
    const rows = async () => (await database.pool.query<{ n: string }>('select count(*) as n from read_model.currency_totals_history')).rows[0]!.n;
    const before = Number(await rows());
    const { rows: at } = await database.pool.query<{ position: string }>(`select position from read_model.projection_checkpoints where name = 'read_model'`);
    // The statement of docs/operations.md, "Totals history": $1 the step, $2 the position below which rows are pruned.
    await database.pool.query(
      `with steps as (
         select currency, position, min(from_position) over step as step_from, max(position) over step as step_last
           from read_model.currency_totals_history
          where position < $2
         window step as (partition by currency, position / $1)
       ), kept as (
         update read_model.currency_totals_history h set from_position = s.step_from
           from steps s where h.currency = s.currency and h.position = s.position and s.position = s.step_last
       )
       delete from read_model.currency_totals_history h
        using steps s where h.currency = s.currency and h.position = s.position and s.position < s.step_last`,
      [40, at[0]!.position],
    );

    expect(Number(await rows())).toBeLessThan(before / 2);
    for (let position = 0n; position <= log[log.length - 1]!.position; position += 1n) {
      for (const currency of CURRENCIES) expect(await totalsAt(database.pool, database.store, currency, position)).toEqual(bruteForceTotals(log, currency, position));
    }
  });
});

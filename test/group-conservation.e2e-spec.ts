import { FakeClock } from './support/fake-clock';
import fc from 'fast-check';
import { EXPIRED_REASON, type GroupLeg, type WalletState, balanceOf, decodeGroupEvent, decodeWalletEvent, evolveWallet, initialWalletState, isGroupStream } from '@wallet/domain';
import { PostgresEventStore, type RecordedEvent } from '@wallet/event-store';
import { READ_MODEL_PROJECTION, verifyReadModel } from '@wallet/read-model';
import { type HttpResult, get, post } from './support/http';
import { LEG_STATUS, readModelGroupFindings } from './support/group-log';
import { getAfter, logHead } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Conservation of money under concurrency, with groups, holds and expiry: 16 clients run a
 * seeded random plan over real HTTP against one app at once (external credits and debits,
 * transfers, groups of 2 to 6 legs, pending groups and holds with and without expiresAt,
 * confirms and rejects, some racing each other, and a fake clock moving so that the expiry
 * worker rejects what falls due). Then the event log, the read model and every answer given
 * must agree: money is neither created nor lost, no balance ever goes below zero, every
 * group is all or nothing, nothing settles twice, the read model has no drift, and no
 * request fails with a 5xx.
 *
 * The seed fixes the plan (what each client sends, in which order); the interleaving of the
 * 16 clients is up to the machine, so a failure names the seed and what went wrong.
 */

const SEED = 2026;
const WALLETS = 20;
const CLIENTS = 16;
const OPERATIONS_PER_CLIENT = 180;
const FUNDING = 400n;
const START = Date.parse('2030-05-01T12:00:00.000Z');


type TransactionType = 'credit' | 'debit';

interface PlannedLeg {
  readonly wallet: number;
  readonly type: TransactionType;
  readonly amount: bigint;
}

type Operation =
  | { readonly kind: 'credit' | 'debit'; readonly wallet: number; readonly amount: bigint }
  | { readonly kind: 'hold'; readonly wallet: number; readonly type: TransactionType; readonly amount: bigint; readonly expiresIn: number | null }
  | { readonly kind: 'transfer'; readonly from: number; readonly to: number; readonly amount: bigint; readonly pending: boolean }
  | { readonly kind: 'group'; readonly legs: readonly PlannedLeg[]; readonly pending: boolean; readonly expiresIn: number | null }
  | { readonly kind: 'confirm' | 'reject' | 'race' | 'legAlone'; readonly pick: number }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'read'; readonly wallet: number };

/** A third of the picks go to four hot wallets, so that clients contend for them. */
const walletArb = fc.oneof({ weight: 1, arbitrary: fc.nat(3) }, { weight: 2, arbitrary: fc.nat(WALLETS - 1) });
const amountArb = (max: number) => fc.bigInt({ min: 1n, max: BigInt(max) });
const typeArb = fc.constantFrom<TransactionType>('credit', 'debit');
/** Seconds from now, or no expiry (half the time). */
const expiresInArb = fc.option(fc.integer({ min: 1, max: 60 }), { nil: null, freq: 2 });
const legsArb = fc
  .record({ legs: fc.array(fc.record({ wallet: walletArb, type: typeArb, amount: amountArb(300) }), { minLength: 2, maxLength: 6 }), repeat: fc.boolean() })
  // Often the last leg goes to the first leg's wallet again: a wallet's legs judged together.
  .map(({ legs, repeat }) => (repeat && legs.length > 2 ? [...legs.slice(0, -1), { ...legs[legs.length - 1]!, wallet: legs[0]!.wallet }] : legs));

const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 9, arbitrary: fc.record({ kind: fc.constant('credit' as const), wallet: walletArb, amount: amountArb(400) }) },
  { weight: 9, arbitrary: fc.record({ kind: fc.constant('debit' as const), wallet: walletArb, amount: amountArb(500) }) },
  { weight: 9, arbitrary: fc.record({ kind: fc.constant('hold' as const), wallet: walletArb, type: typeArb, amount: amountArb(300), expiresIn: expiresInArb }) },
  {
    weight: 10,
    arbitrary: fc
      .record({ from: walletArb, offset: fc.integer({ min: 1, max: WALLETS - 1 }), amount: amountArb(300), pending: fc.integer({ min: 0, max: 3 }) })
      .map(({ from, offset, amount, pending }) => ({ kind: 'transfer' as const, from, to: (from + offset) % WALLETS, amount, pending: pending === 0 })),
  },
  {
    weight: 14,
    arbitrary: fc
      .record({ legs: legsArb, pending: fc.integer({ min: 0, max: 9 }), expiresIn: expiresInArb })
      .map(({ legs, pending, expiresIn }) => ({ kind: 'group' as const, legs, pending: pending < 4, expiresIn: pending < 4 ? expiresIn : null })),
  },
  { weight: 9, arbitrary: fc.record({ kind: fc.constant('confirm' as const), pick: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('reject' as const), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('race' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('legAlone' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1_000, max: 20_000 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), wallet: walletArb }) },
);

const planArb = fc.array(fc.array(operationArb, { minLength: OPERATIONS_PER_CLIENT, maxLength: OPERATIONS_PER_CLIENT }), { minLength: CLIENTS, maxLength: CLIENTS });

/** Error codes a well-behaved service may answer this plan with (anything else is a finding). */
const EXPECTED_REFUSALS = new Set(['INSUFFICIENT_FUNDS', 'GROUP_NOT_PENDING', 'TRANSACTION_NOT_PENDING', 'HOLD_EXPIRED', 'TRANSACTION_PART_OF_GROUP']);

type Pending = { readonly kind: 'group'; readonly id: string; readonly legs: readonly { walletId: string; id: string }[] } | { readonly kind: 'hold'; readonly walletId: string; readonly id: string };

interface TransactionBody {
  id: string;
  walletId: string;
  type: TransactionType;
  amount: string;
  status: 'pending' | 'confirmed' | 'rejected';
  groupId: string | null;
}

const signed = (type: TransactionType, amount: bigint): bigint => (type === 'credit' ? amount : -amount);

describe('transaction groups: conservation of money under concurrency (seeded property)', () => {
  const clock = new FakeClock(START);
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ clock, env: { EXPIRY_INTERVAL_MS: '50', PROJECTOR_POLL_MS: '20' } });
  });
  afterAll(async () => app.close());

  it(`keeps every invariant over ${CLIENTS} clients x ${OPERATIONS_PER_CLIENT} operations (seed ${SEED})`, async () => {
    const startedAt = Date.now();
    const [plan] = fc.sample(planArb, { seed: SEED, numRuns: 1 });
    const findings: string[] = [];
    const statusTally = new Map<string, number>();
    let requests = 0;
    let maxPosition = 0n;
    /** Settlements planned when nothing was pending to pick: no request sent. */
    let skipped = 0;
    /** Sum of ±amount of every transaction the service answered as confirmed. */
    let confirmedNetFromAnswers = 0n;
    const pendings: Pending[] = [];

    /** Sends one request and checks what every answer must satisfy. */
    async function send(label: string, method: 'POST' | 'GET', path: string, body?: unknown, mayBeInvalid = false): Promise<HttpResult> {
      requests += 1;
      const result = method === 'POST' ? await post(app.baseUrl, path, body) : await get(app.baseUrl, path);
      const code = result.status < 300 ? '' : ` ${result.body?.code}`;
      statusTally.set(`${result.status}${code}`, (statusTally.get(`${result.status}${code}`) ?? 0) + 1);
      if (result.status >= 500) findings.push(`(f) ${label} ${method} ${path} answered ${result.status}: ${JSON.stringify(result.body)}`);
      else if (result.status >= 300) {
        const expected = EXPECTED_REFUSALS.has(result.body?.code) || (mayBeInvalid && result.body?.code === 'VALIDATION_FAILED');
        if (!expected) findings.push(`${label} ${method} ${path} answered ${result.status} ${JSON.stringify(result.body)}`);
      } else {
        const balance = result.body?.balance as { available: string; ledger: string } | undefined;
        if (balance && BigInt(balance.available) < 0n) findings.push(`(b) ${label} ${path} showed available ${balance.available}`);
        if (result.body?.position) maxPosition = BigInt(result.body.position) > maxPosition ? BigInt(result.body.position) : maxPosition;
      }
      return result;
    }

    const confirmedNet = (transactions: readonly TransactionBody[]): bigint =>
      transactions.filter((t) => t.status === 'confirmed').reduce((sum, t) => sum + signed(t.type, BigInt(t.amount)), 0n);
    const expiresAt = (seconds: number | null): { expiresAt?: string } => (seconds === null ? {} : { expiresAt: new Date(clock.now().getTime() + seconds * 1_000).toISOString() });
    const pick = (index: number, kind?: Pending['kind']): Pending | undefined => {
      const candidates = kind ? pendings.filter((p) => p.kind === kind) : pendings;
      return candidates.length === 0 ? undefined : candidates[index % candidates.length];
    };
    const forget = (pending: Pending): void => {
      const index = pendings.indexOf(pending);
      if (index >= 0) pendings.splice(index, 1);
    };
    const settlePath = (pending: Pending, how: 'confirm' | 'reject'): string =>
      pending.kind === 'group' ? `/v1/transaction-groups/${pending.id}/${how}` : `/v1/wallets/${pending.walletId}/transactions/${pending.id}/${how}`;
    /** The transactions a settlement answer shows: a group's legs or the one transaction. */
    const settled = (result: HttpResult): TransactionBody[] => (result.body.group ? result.body.group.transactions : [result.body.transaction]);

    function remember(result: HttpResult): void {
      if (result.status !== 201) return;
      if (result.body.group) {
        const group = result.body.group as { id: string; status: string; transactions: TransactionBody[] };
        if (group.status === 'pending') pendings.push({ kind: 'group', id: group.id, legs: group.transactions.map((t) => ({ walletId: t.walletId, id: t.id })) });
        confirmedNetFromAnswers += confirmedNet(group.transactions);
      } else {
        const transaction = result.body.transaction as TransactionBody;
        if (transaction.status === 'pending') pendings.push({ kind: 'hold', walletId: transaction.walletId, id: transaction.id });
        confirmedNetFromAnswers += confirmedNet([transaction]);
      }
    }

    /** A settlement answered: a 200 moves confirmed money; any answer means it is no longer worth picking. */
    function settledBy(pending: Pending, result: HttpResult): void {
      if (result.status === 200) confirmedNetFromAnswers += confirmedNet(settled(result));
      if (result.status === 200 || result.status === 409 || result.status === 422) forget(pending);
    }

    // 20 USD wallets, each funded by an external credit.
    const walletIds: string[] = [];
    for (let n = 0; n < WALLETS; n += 1) {
      const opened = await send('open', 'POST', '/v1/wallets', { type: 'main', currency: 'USD' });
      walletIds.push(opened.body.id);
      remember(await send('fund', 'POST', `/v1/wallets/${opened.body.id}/transactions`, { type: 'credit', amount: FUNDING.toString() }));
    }
    // Reads (GET /v1/wallets/{id}, no minPosition) come from the read model: it must know every wallet first.
    expect((await getAfter(app, `/v1/wallets/${walletIds[WALLETS - 1]}`, maxPosition)).status).toBe(200);
    const races: { confirm: number; reject: number }[] = [];

    async function perform(operation: Operation): Promise<void> {
      switch (operation.kind) {
        case 'credit':
        case 'debit':
          remember(await send(operation.kind, 'POST', `/v1/wallets/${walletIds[operation.wallet]}/transactions`, { type: operation.kind, amount: operation.amount.toString() }));
          return;
        case 'hold': {
          const body = { type: operation.type, amount: operation.amount.toString(), pending: true, ...expiresAt(operation.expiresIn) };
          remember(await send('hold', 'POST', `/v1/wallets/${walletIds[operation.wallet]}/transactions`, body, operation.expiresIn !== null));
          return;
        }
        case 'transfer': {
          const body = { fromWalletId: walletIds[operation.from], toWalletId: walletIds[operation.to], amount: operation.amount.toString(), pending: operation.pending };
          remember(await send('transfer', 'POST', '/v1/transfers', body));
          return;
        }
        case 'group': {
          const transactions = operation.legs.map((l) => ({ walletId: walletIds[l.wallet], type: l.type, amount: l.amount.toString() }));
          const body = { pending: operation.pending, ...expiresAt(operation.expiresIn), transactions, description: `group of ${transactions.length}` };
          remember(await send('group', 'POST', '/v1/transaction-groups', body, operation.expiresIn !== null));
          return;
        }
        case 'confirm':
        case 'reject': {
          const pending = pick(operation.pick);
          if (!pending) return void (skipped += 1);
          settledBy(pending, await send(operation.kind, 'POST', settlePath(pending, operation.kind), operation.kind === 'reject' ? { reason: 'client' } : undefined));
          return;
        }
        case 'race': {
          const pending = pick(operation.pick, 'group') ?? pick(operation.pick);
          if (!pending) return void (skipped += 1);
          const [confirmed, rejected] = await Promise.all([send('race confirm', 'POST', settlePath(pending, 'confirm')), send('race reject', 'POST', settlePath(pending, 'reject'), { reason: 'race' })]);
          settledBy(pending, confirmed);
          settledBy(pending, rejected);
          races.push({ confirm: confirmed.status, reject: rejected.status });
          if (confirmed.status === 200 && rejected.status === 200) findings.push(`(d) both the confirm and the reject of ${pending.kind} ${pending.id} succeeded`);
          return;
        }
        case 'legAlone': {
          const pending = pick(operation.pick, 'group');
          if (pending?.kind !== 'group') return void (skipped += 1);
          const [first] = pending.legs;
          const result = await send('leg alone', 'POST', `/v1/wallets/${first!.walletId}/transactions/${first!.id}/confirm`);
          if (result.status < 300) findings.push(`(c) leg ${first!.id} of group ${pending.id} was confirmed alone`);
          return;
        }
        case 'advance':
          clock.advance(operation.ms);
          return;
        case 'read':
          await send('read', 'GET', `/v1/wallets/${walletIds[operation.wallet]}`);
          return;
      }
    }

    await Promise.all(
      plan!.map(async (operations) => {
        for (const operation of operations) await perform(operation);
      }),
    );
    const operations = plan!.reduce((sum, ops) => sum + ops.length, 0);
    const opsEndedAt = Date.now();
    const requestsDuringOperations = requests;
    const statusesDuringOperations = Object.fromEntries([...statusTally].sort());

    // Everything with an expiry falls due; the expiry worker rejects it, the projector follows.
    clock.advance(3_600_000);
    await settleDown();
    const head = await logHead(app);
    expect((await getAfter(app, `/v1/wallets/${walletIds[0]}`, head > maxPosition ? head : maxPosition)).status).toBe(200);

    // The event log, decoded in order.
    const store = new PostgresEventStore(app.database.pool, { connectionString: app.database.url });
    const log: RecordedEvent[] = [];
    try {
      for (let after = 0n; ; ) {
        const page = await store.readAll({ after, maxCount: 1_000 });
        if (page.length === 0) break;
        log.push(...page);
        after = page[page.length - 1]!.position;
      }
      // (e) the read model's drift check, on the same database.
      const report = await verifyReadModel({ pool: app.database.pool, store });
      expect(report.checkpoint).toBeGreaterThanOrEqual(head);
      if (report.driftCount !== 0) findings.push(`(e) verifyReadModel found ${report.driftCount} drifts: ${JSON.stringify(report.drifts.slice(0, 5))}`);
    } finally {
      await store.close();
    }

    // Fold the log: wallets, transactions, groups.
    interface Recording {
      walletId: string;
      type: TransactionType;
      amount: bigint;
      groupId: string | null;
      pending: boolean;
      expiresAt: string | null;
      correlationId: string;
    }
    interface Settlement {
      type: 'HoldConfirmed' | 'HoldRejected';
      reason: string | null;
      at: string;
      correlationId: string;
    }
    interface GroupFold {
      legs: readonly GroupLeg[];
      pending: boolean;
      expiresAt: string | null;
      correlationId: string;
      settlements: { type: 'TransactionGroupConfirmed' | 'TransactionGroupRejected' | 'TransactionGroupReversed'; reason: string | null; correlationId: string }[];
    }
    const wallets = new Map<string, WalletState>();
    const recordings = new Map<string, Recording>();
    const settlements = new Map<string, Settlement[]>();
    const groups = new Map<string, GroupFold>();
    let confirmedNetFromLog = 0n;
    let externalNet = 0n;
    const groupNet = new Map<string, bigint>();
    const confirmedInGroup = (groupId: string | null, amount: bigint): void => {
      confirmedNetFromLog += amount;
      if (groupId === null) externalNet += amount;
      else groupNet.set(groupId, (groupNet.get(groupId) ?? 0n) + amount);
    };

    for (const recorded of log) {
      const correlationId = recorded.metadata.correlationId;
      if (isGroupStream(recorded.stream)) {
        const event = decodeGroupEvent(recorded);
        if (event.type === 'TransactionGroupRecorded') {
          const { groupId, legs, pending, expiresAt: groupExpiresAt } = event.data;
          if (groups.has(groupId)) findings.push(`(c) group ${groupId} recorded twice`);
          groups.set(groupId, { legs, pending, expiresAt: groupExpiresAt, correlationId, settlements: [] });
        } else {
          const group = groups.get(event.data.groupId);
          if (!group) findings.push(`(c) ${event.type} of unknown group ${event.data.groupId}`);
          group?.settlements.push({ type: event.type, reason: event.type === 'TransactionGroupRejected' ? event.data.reason : null, correlationId });
        }
        continue;
      }
      const event = decodeWalletEvent(recorded);
      const walletId = event.data.walletId;
      const state = evolveWallet(wallets.get(walletId) ?? initialWalletState, event);
      wallets.set(walletId, state);
      const { availableMinor } = balanceOf(state);
      if (availableMinor < 0n) findings.push(`(b) wallet ${walletId} available ${availableMinor} after position ${recorded.position}`);
      switch (event.type) {
        case 'FundsCredited':
        case 'FundsDebited':
        case 'HoldPlaced': {
          const { transactionId, amountMinor, groupId } = event.data;
          const type = event.type === 'HoldPlaced' ? event.data.transactionType : event.type === 'FundsCredited' ? 'credit' : 'debit';
          if (recordings.has(transactionId)) findings.push(`(d) transaction ${transactionId} recorded twice`);
          const pending = event.type === 'HoldPlaced';
          recordings.set(transactionId, { walletId, type, amount: amountMinor, groupId, pending, expiresAt: pending ? event.data.expiresAt : null, correlationId });
          if (!pending) confirmedInGroup(groupId, signed(type, amountMinor));
          break;
        }
        case 'HoldConfirmed':
        case 'HoldRejected': {
          const { transactionId, transactionType, amountMinor } = event.data;
          const at = event.type === 'HoldConfirmed' ? event.data.confirmedAt : event.data.rejectedAt;
          const reason = event.type === 'HoldRejected' ? event.data.reason : null;
          settlements.set(transactionId, [...(settlements.get(transactionId) ?? []), { type: event.type, reason, at, correlationId }]);
          const recording = recordings.get(transactionId);
          if (!recording?.pending) findings.push(`(d) ${event.type} of ${transactionId}, which is not a hold`);
          if (event.type === 'HoldConfirmed') confirmedInGroup(recording?.groupId ?? null, signed(transactionType, amountMinor));
          break;
        }
        default:
          break;
      }
    }

    // (a) conservation: the ledgers (folded and projected) hold exactly what was confirmed.
    const ledgerFromLog = [...wallets.values()].reduce((sum, state) => sum + state.ledgerMinor, 0n);
    const { rows: sums } = await app.database.pool.query<{ ledger: string; wallets: string }>('select coalesce(sum(ledger), 0)::text as ledger, count(*)::text as wallets from read_model.balances');
    const conservation = { wallets: Number(sums[0]!.wallets), ledgerFromReadModel: BigInt(sums[0]!.ledger), confirmedNetFromLog, confirmedNetFromAnswers, externalPlusGroups: externalNet + [...groupNet.values()].reduce((sum, net) => sum + net, 0n) };
    const { wallets: walletCount, ...totals } = conservation;
    if (walletCount !== WALLETS || Object.values(totals).some((total) => total !== ledgerFromLog)) {
      findings.push(`(a) the ledgers folded from the log sum to ${ledgerFromLog}, but ${JSON.stringify(conservation, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
    }
    const { rows: balanceRows } = await app.database.pool.query<{ wallet_id: string; ledger: string; pending_debits: string; pending_credits: string }>(
      'select wallet_id, ledger::text, pending_debits::text, pending_credits::text from read_model.balances',
    );
    for (const row of balanceRows) {
      const state = wallets.get(row.wallet_id);
      const folded = state && [state.ledgerMinor, state.pendingDebitsMinor, state.pendingCreditsMinor].join('/');
      if (folded !== [row.ledger, row.pending_debits, row.pending_credits].join('/')) findings.push(`(a) wallet ${row.wallet_id}: read model ${row.ledger}/${row.pending_debits}/${row.pending_credits}, log ${folded}`);
      // (b) no projected balance below zero.
      if (BigInt(row.ledger) - BigInt(row.pending_debits) < 0n) findings.push(`(b) read model wallet ${row.wallet_id} has ledger ${row.ledger} and pending debits ${row.pending_debits}`);
    }

    // (d) nothing settles twice; (expiry) nothing with an expiry stays pending, no hold was confirmed at or after its expiry.
    const finalNow = clock.now().toISOString();
    for (const [transactionId, recording] of recordings) {
      const settledAs = settlements.get(transactionId) ?? [];
      if (settledAs.length > 1) findings.push(`(d) transaction ${transactionId} settled ${settledAs.length} times: ${settledAs.map((s) => s.type).join(', ')}`);
      if (!recording.pending || recording.expiresAt === null) continue;
      if (settledAs.length === 0 && recording.expiresAt <= finalNow) findings.push(`(expiry) hold ${transactionId} expired at ${recording.expiresAt} and is still pending`);
      const [settlement] = settledAs;
      if (settlement?.type === 'HoldConfirmed' && settlement.at >= recording.expiresAt) findings.push(`(expiry) hold ${transactionId} confirmed at ${settlement.at}, after its expiry ${recording.expiresAt}`);
      if (settlement?.reason === EXPIRED_REASON && settlement.at < recording.expiresAt) findings.push(`(expiry) hold ${transactionId} expired at ${settlement.at}, before ${recording.expiresAt}`);
    }

    // (c) every group is all or nothing in the log.
    const legsByGroup = new Map<string, string[]>();
    for (const [transactionId, recording] of recordings) {
      if (recording.groupId !== null) legsByGroup.set(recording.groupId, [...(legsByGroup.get(recording.groupId) ?? []), transactionId]);
    }
    const foldedStatus = new Map<string, 'pending' | 'completed' | 'rejected'>();
    const groupsByOutcome = { completed: 0, pending: 0, confirmed: 0, rejected: 0, expired: 0 };
    for (const [groupId, group] of groups) {
      const recorded = legsByGroup.get(groupId) ?? [];
      if (recorded.length !== group.legs.length) findings.push(`(c) group ${groupId} has ${group.legs.length} legs, ${recorded.length} transactions name it`);
      for (const leg of group.legs) {
        const recording = recordings.get(leg.transactionId);
        const matches =
          recording &&
          recording.groupId === groupId &&
          recording.walletId === leg.walletId &&
          recording.type === leg.transactionType &&
          recording.amount === leg.amountMinor &&
          recording.pending === group.pending &&
          recording.correlationId === group.correlationId;
        if (!matches) findings.push(`(c) leg ${leg.transactionId} of group ${groupId} is not recorded with the group: ${JSON.stringify(recording, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
      }
      if (group.settlements.length > 1 || (!group.pending && group.settlements.length > 0)) findings.push(`(d) group ${groupId} settled ${group.settlements.length} times (pending: ${group.pending})`);
      const [settlement] = group.settlements;
      const legSettlements = group.legs.map((leg) => settlements.get(leg.transactionId) ?? []);
      if (!settlement) {
        if (legSettlements.some((s) => s.length > 0)) findings.push(`(c) a leg of unsettled group ${groupId} was settled`);
        foldedStatus.set(groupId, group.pending ? 'pending' : 'completed');
        if (group.pending) groupsByOutcome.pending += 1;
        else groupsByOutcome.completed += 1;
        if (group.pending && group.expiresAt !== null && group.expiresAt <= finalNow) findings.push(`(expiry) group ${groupId} expired at ${group.expiresAt} and is still pending`);
        continue;
      }
      const legType = settlement.type === 'TransactionGroupConfirmed' ? 'HoldConfirmed' : 'HoldRejected';
      const together = legSettlements.every((s) => s.length === 1 && s[0]!.type === legType && s[0]!.reason === settlement.reason && s[0]!.correlationId === settlement.correlationId);
      if (!together) findings.push(`(c) group ${groupId} ${settlement.type}, its legs: ${JSON.stringify(legSettlements)}`);
      foldedStatus.set(groupId, settlement.type === 'TransactionGroupConfirmed' ? 'completed' : 'rejected');
      if (settlement.type === 'TransactionGroupConfirmed') groupsByOutcome.confirmed += 1;
      else if (settlement.reason === EXPIRED_REASON) groupsByOutcome.expired += 1;
      else groupsByOutcome.rejected += 1;
    }
    for (const groupId of legsByGroup.keys()) if (!groups.has(groupId)) findings.push(`(c) transactions name group ${groupId}, which was never recorded`);

    // (c) ... and in the read model: the group's status matches its legs', legs in order.
    const expected = new Map([...groups].map(([groupId, group]) => [groupId, { status: foldedStatus.get(groupId) ?? 'unknown', legIds: group.legs.map((l) => l.transactionId) }]));
    findings.push(...(await readModelGroupFindings(app.database.pool, expected)).map((finding: string) => `(c) ${finding}`));

    // (c) ... and over HTTP: GET /v1/transaction-groups/{id} shows the same group and legs.
    const groupIds = [...groups.keys()];
    for (let from = 0; from < groupIds.length; from += CLIENTS) {
      await Promise.all(
        groupIds.slice(from, from + CLIENTS).map(async (groupId) => {
          const { status, body } = await send('get group', 'GET', `/v1/transaction-groups/${groupId}`);
          const expectedStatus = foldedStatus.get(groupId)!;
          const expectedLegs = groups.get(groupId)!.legs.map((l) => [l.transactionId, l.walletId, l.transactionType, l.amountMinor.toString(), LEG_STATUS[expectedStatus], groupId]);
          const legs = (body?.transactions as TransactionBody[] | undefined)?.map((t) => [t.id, t.walletId, t.type, t.amount, t.status, t.groupId]);
          if (status !== 200 || body.status !== expectedStatus || JSON.stringify(legs) !== JSON.stringify(expectedLegs)) {
            findings.push(`(c) GET group ${groupId}: ${status} ${body?.status} ${JSON.stringify(legs)}, the log says ${expectedStatus} ${JSON.stringify(expectedLegs)}`);
          }
        }),
      );
    }

    const elapsedMs = Date.now() - startedAt;
    const summary = {
      seed: SEED,
      operations,
      skipped,
      requests: requestsDuringOperations,
      opsSeconds: (opsEndedAt - startedAt) / 1_000,
      totalSeconds: elapsedMs / 1_000,
      events: log.length,
      groups: groupsByOutcome,
      singleHoldsExpired: [...settlements].filter(([id, s]) => s[0]?.reason === EXPIRED_REASON && recordings.get(id)?.groupId === null).length,
      races: { count: races.length, confirmWon: races.filter((r) => r.confirm === 200).length, rejectWon: races.filter((r) => r.reject === 200).length },
      statuses: statusesDuringOperations,
      ledgerTotal: ledgerFromLog.toString(),
    };
    console.log(`group conservation summary: ${JSON.stringify(summary, null, 1)}`);
    expect({ findings: findings.length, first: findings.slice(0, 40) }).toEqual({ findings: 0, first: [] });
    // The plan must have exercised what it is about.
    expect(groupsByOutcome.completed).toBeGreaterThan(0);
    expect(groupsByOutcome.confirmed).toBeGreaterThan(0);
    expect(groupsByOutcome.rejected).toBeGreaterThan(0);
    expect(groupsByOutcome.expired).toBeGreaterThan(0);
    expect(summary.singleHoldsExpired).toBeGreaterThan(0);
    expect(summary.races.count).toBeGreaterThan(0);
  }, 180_000);

  /**
   * Waits until the expiry worker has nothing left that is due and the read model has caught
   * up with the log, twice in a row (an expiry appends events the projector must follow).
   */
  async function settleDown(): Promise<void> {
    const deadline = Date.now() + 60_000;
    let quietRounds = 0;
    while (quietRounds < 2) {
      if (Date.now() > deadline) throw new Error('The expiry worker and the projector did not settle within 60 s.');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const head = await logHead(app);
      const { rows } = await app.database.pool.query<{ checkpoint: string; due: string }>(
        `select (select position from read_model.projection_checkpoints where name = $1)::text as checkpoint,
                ((select count(*) from read_model.transactions where status = 'pending' and group_id is null and expires_at <= $2)
               + (select count(*) from read_model.transaction_groups where status = 'pending' and expires_at <= $2))::text as due`,
        [READ_MODEL_PROJECTION, clock.now()],
      );
      const caughtUp = BigInt(rows[0]!.checkpoint) >= head && rows[0]!.due === '0';
      quietRounds = caughtUp ? quietRounds + 1 : 0;
    }
  }
});

import { T0, confirm, expire, increase, opened, record, reject, reverse } from '@wallet/testing';
import fc from 'fast-check';
import { DomainError } from './domain-error';
import { type BalanceTotals, applyToBalance, recordsTransaction, zeroBalance } from './wallet.balance';
import type { WalletCommand } from './wallet.commands';
import { decideWallet } from './wallet.decide';
import type { TransactionType, WalletEvent } from './wallet.events';
import { evolveWallet, foldWallet } from './wallet.evolve';
import { type WalletState, balanceOf } from './wallet.state';
import { type TransactionSnapshot, changedTransaction, recordedTransaction, transactionAfter, transactionChangeOf } from './wallet.transactions';

/**
 * Random payment lifecycles on a few wallets: holds of both types (some expiring), increases,
 * partial and final captures, confirms, rejects, expiries, credits, debits and reversals,
 * each decided against the folded state on an advancing clock. Refusals are skipped; after
 * every accepted event the domain's balances and transactions must agree with a brute-force
 * model kept here from the accepted commands alone.
 */

const WALLETS = ['wallet-a', 'wallet-b', 'wallet-c'];

type Step =
  | { kind: 'credit' | 'debit'; amountMinor: bigint }
  | { kind: 'hold'; transactionType: TransactionType; amountMinor: bigint; ttlMs: number | null }
  | { kind: 'increase'; pick: number; amountMinor: bigint }
  | { kind: 'capture'; pick: number; amountMinor: bigint | null; final: boolean | undefined }
  | { kind: 'reject' | 'expire'; pick: number }
  | { kind: 'reverse'; pick: number; amountMinor: bigint | null };

const amount = (max: bigint) => fc.bigInt({ min: 1n, max });
const pick = fc.nat();
const step: fc.Arbitrary<{ wallet: number; advanceMs: number; step: Step }> = fc.record({
  wallet: fc.nat({ max: WALLETS.length - 1 }),
  advanceMs: fc.integer({ min: 0, max: 2_000 }),
  step: fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('credit' as const, 'debit' as const), amountMinor: amount(1_000n) }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('hold' as const),
        transactionType: fc.constantFrom<TransactionType>('credit', 'debit'),
        amountMinor: amount(600n),
        ttlMs: fc.option(fc.integer({ min: 1, max: 30_000 })),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('increase' as const), pick, amountMinor: amount(300n) }) },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('capture' as const), pick, amountMinor: fc.option(amount(400n)), final: fc.constantFrom(undefined, true, false, false) }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('reject' as const, 'expire' as const), pick }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('reverse' as const), pick, amountMinor: fc.option(amount(400n)) }) },
  ),
});

/** The brute-force model of one transaction. */
interface ModelTransaction {
  readonly transactionType: TransactionType;
  amountMinor: bigint;
  heldMinor: bigint;
  capturedMinor: bigint;
  releasedMinor: bigint;
  reversedMinor: bigint;
  readonly reversalOf: string | null;
  ended: boolean;
}

/** One wallet as the run sees it: the domain's view, and the model's. */
interface WalletRun {
  readonly walletId: string;
  readonly events: WalletEvent[];
  state: WalletState;
  readonly snapshots: Map<string, TransactionSnapshot>;
  readonly model: Map<string, ModelTransaction>;
  readonly ids: string[];
}

/**
 * The transaction a step acts on: for a step on a hold, three times in four one still pending
 * (else most would be refused), otherwise any transaction of the wallet.
 */
function targetOf(run: WalletRun, s: Step): string {
  if (!('pick' in s)) return 'tx-none';
  const pending = run.ids.filter((id) => !run.model.get(id)!.ended);
  const onHold = s.kind !== 'reverse' && s.pick % 4 !== 0 && pending.length > 0;
  const candidates = onHold ? pending : run.ids;
  return candidates.length === 0 ? 'tx-none' : candidates[s.pick % candidates.length]!;
}

function commandOf(run: WalletRun, s: Step, index: number, now: Date): WalletCommand {
  const { walletId } = run;
  const target = targetOf(run, s);
  switch (s.kind) {
    case 'credit':
    case 'debit':
      return record({ walletId, transactionId: `tx-${index}`, transactionType: s.kind, amountMinor: s.amountMinor, now });
    case 'hold': {
      const expiresAt = s.ttlMs === null ? null : new Date(now.getTime() + s.ttlMs);
      return record({ walletId, transactionId: `tx-${index}`, transactionType: s.transactionType, amountMinor: s.amountMinor, pending: true, expiresAt, now });
    }
    case 'increase':
      return increase(target, s.amountMinor, { walletId, now });
    case 'capture':
      return confirm(target, { walletId, amountMinor: s.amountMinor, ...(s.final === undefined ? {} : { final: s.final }), now });
    case 'reject':
      return reject(target, { walletId, now });
    case 'expire':
      return expire(target, { walletId, now });
    case 'reverse':
      return reverse(target, { walletId, reversalId: `rev-${index}`, amountMinor: s.amountMinor, now });
  }
}

/** What an accepted command does to the model, by the rules of the API, not by the domain's code. */
function applyToModel(model: Map<string, ModelTransaction>, command: WalletCommand): void {
  const blank = { heldMinor: 0n, capturedMinor: 0n, releasedMinor: 0n, reversedMinor: 0n, reversalOf: null, ended: true };
  switch (command.type) {
    case 'RecordTransaction': {
      const { transactionType, amountMinor, pending } = command;
      model.set(command.transactionId, { ...blank, transactionType, amountMinor, heldMinor: pending ? amountMinor : 0n, capturedMinor: pending ? 0n : amountMinor, ended: !pending });
      return;
    }
    case 'IncreaseHold': {
      const hold = model.get(command.transactionId)!;
      hold.amountMinor += command.amountMinor;
      hold.heldMinor += command.amountMinor;
      return;
    }
    case 'ConfirmTransaction': {
      const hold = model.get(command.transactionId)!;
      const capture = command.amountMinor ?? hold.heldMinor;
      hold.capturedMinor += capture;
      hold.heldMinor -= capture;
      if (command.final !== false) end(hold);
      return;
    }
    case 'RejectTransaction':
    case 'ExpireHold':
      end(model.get(command.transactionId)!);
      return;
    case 'ReverseTransaction': {
      const original = model.get(command.transactionId)!;
      const give = command.amountMinor ?? original.capturedMinor - original.reversedMinor;
      original.reversedMinor += give;
      const transactionType = original.transactionType === 'credit' ? 'debit' : 'credit';
      model.set(command.reversalId, { ...blank, transactionType, amountMinor: give, capturedMinor: give, reversalOf: command.transactionId });
      return;
    }
    default:
      throw new Error(`The model does not know ${command.type}.`);
  }
}

/** A hold ends: whatever it still holds is released. */
function end(hold: ModelTransaction): void {
  hold.releasedMinor += hold.heldMinor;
  hold.heldMinor = 0n;
  hold.ended = true;
}

/** The wallet's totals summed over the model's transactions. */
function modelTotals(model: Map<string, ModelTransaction>): BalanceTotals {
  const totals = { ledgerMinor: 0n, pendingDebitsMinor: 0n, pendingCreditsMinor: 0n };
  for (const t of model.values()) {
    const sign = t.transactionType === 'credit' ? 1n : -1n;
    totals.ledgerMinor += sign * t.capturedMinor;
    if (t.transactionType === 'credit') totals.pendingCreditsMinor += t.heldMinor;
    else totals.pendingDebitsMinor += t.heldMinor;
  }
  return totals;
}

/** The ledger counted another way: captured originals, less what their reversals gave back. */
function ledgerFromOriginals(model: Map<string, ModelTransaction>): bigint {
  let ledger = 0n;
  for (const t of model.values()) {
    if (t.reversalOf !== null) continue;
    const sign = t.transactionType === 'credit' ? 1n : -1n;
    ledger += sign * (t.capturedMinor - t.reversedMinor);
  }
  return ledger;
}

const amountsOf = ({ amountMinor, heldMinor, capturedMinor, releasedMinor, reversedMinor, reversalOf }: ModelTransaction | TransactionSnapshot) => ({
  amountMinor, heldMinor, capturedMinor, releasedMinor, reversedMinor, reversalOf,
});

/** Folds one accepted event into the domain's view and checks it against the model. */
function acceptEvent(run: WalletRun, event: WalletEvent): void {
  const before = run.state;
  run.events.push(event);
  run.state = evolveWallet(run.state, event);
  if (recordsTransaction(event)) {
    const recorded = recordedTransaction(event as Parameters<typeof recordedTransaction>[0]);
    run.snapshots.set(recorded.transactionId, recorded);
  }
  const change = transactionChangeOf(event);
  if (change) run.snapshots.set(change.transactionId, changedTransaction(run.snapshots.get(change.transactionId)!, change));
  // The write side describes the transaction it answers with from its state; the read side's rule must agree.
  const described = transactionAfter(before, event);
  if (described) expect(described).toEqual(run.snapshots.get(described.transactionId));

  const pointInTime = run.events.reduce(applyToBalance, zeroBalance);
  const { ledgerMinor, pendingDebitsMinor, pendingCreditsMinor } = run.state;
  expect(pointInTime).toEqual({ ledgerMinor, pendingDebitsMinor, pendingCreditsMinor });
  expect(balanceOf(pointInTime).availableMinor).toBeGreaterThanOrEqual(0n);
  // One expectation over all transactions: an expect per transaction per event is slow.
  const broken = [...run.snapshots.values()].filter(
    (t) =>
      t.amountMinor !== t.heldMinor + t.capturedMinor + t.releasedMinor ||
      t.heldMinor < 0n ||
      t.releasedMinor < 0n ||
      t.reversedMinor > t.capturedMinor ||
      (t.heldMinor !== 0n && t.status !== 'pending'),
  );
  expect(broken).toEqual([]);
}

/** After a command's events: the model and the domain agree on every total and every transaction. */
function checkAgainstModel(run: WalletRun): void {
  expect(run.events.reduce(applyToBalance, zeroBalance)).toEqual(modelTotals(run.model));
  expect(run.state.ledgerMinor).toBe(ledgerFromOriginals(run.model));
  const domain = Object.fromEntries([...run.snapshots].map(([id, s]) => [id, { ...amountsOf(s), status: s.status }]));
  const model = Object.fromEntries(
    [...run.model].map(([id, t]) => [id, { ...amountsOf(t), status: !t.ended ? 'pending' : t.capturedMinor > 0n ? 'confirmed' : 'rejected' }]),
  );
  expect(domain).toEqual(model);
}

/** Decides a command against the wallet's state; when accepted, folds and checks its events. */
function decideAndCheck(run: WalletRun, command: WalletCommand): WalletEvent[] {
  let events: WalletEvent[];
  try {
    events = decideWallet(command, run.state);
  } catch (error) {
    if (error instanceof DomainError) return [];
    throw error;
  }
  for (const event of events) acceptEvent(run, event);
  applyToModel(run.model, command);
  if (command.type === 'RecordTransaction') run.ids.push(command.transactionId);
  if (command.type === 'ReverseTransaction') run.ids.push(command.reversalId);
  checkAgainstModel(run);
  return events;
}

describe('payment lifecycle properties', () => {
  it.each([16, 2026])('balances, amounts and reversals stay consistent at every position (seed %i)', (seed) => {
    const accepted = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 60 }), (steps) => {
        const runs: WalletRun[] = WALLETS.map((walletId) => {
          const events: WalletEvent[] = [opened({ walletId, owners: [] })];
          const run = { walletId, events, state: foldWallet(events), snapshots: new Map(), model: new Map(), ids: [] };
          decideAndCheck(run, record({ walletId, transactionId: `seed-${walletId}`, amountMinor: 3_000n, now: T0 }));
          return run;
        });
        let clock = T0.getTime();
        steps.forEach(({ wallet, advanceMs, step: s }, index) => {
          clock += advanceMs;
          const run = runs[wallet]!;
          for (const event of decideAndCheck(run, commandOf(run, s, index, new Date(clock)))) {
            const label = event.type === 'HoldCaptured' ? `HoldCaptured final=${event.data.final}` : event.type === 'HoldRejected' ? `HoldRejected ${event.data.reason ?? ''}` : event.type;
            accepted.set(label, (accepted.get(label) ?? 0) + 1);
          }
        });
      }),
      { seed, numRuns: 200 },
    );
    // The runs must reach every lifecycle step, or the property proves little.
    const kinds = ['FundsCredited', 'FundsDebited', 'HoldPlaced', 'HoldIncreased', 'HoldCaptured final=true', 'HoldCaptured final=false', 'HoldConfirmed', 'HoldRejected ', 'HoldRejected expired', 'TransactionReversed'];
    for (const kind of kinds) expect(accepted.get(kind) ?? 0).toBeGreaterThan(10);
  });
});

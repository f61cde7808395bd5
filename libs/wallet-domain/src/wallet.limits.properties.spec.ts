import { T0, confirm, increase, openWallet, record, reject, reverse, setOverdraftLimit } from '@wallet/testing';
import fc from 'fast-check';
import { DomainError } from './domain-error';
import { applyToBalance, zeroBalance } from './wallet.balance';
import type { WalletCommand } from './wallet.commands';
import { decideWallet } from './wallet.decide';
import type { OverdraftLimit, TransactionType, WalletEvent } from './wallet.events';
import { evolveWallet } from './wallet.evolve';
import { type WalletState, balanceOf, initialWalletState } from './wallet.state';

/**
 * Random histories of a few wallets with random overdraft limits (some "unlimited"), limit
 * changes, debits, holds, increases, captures, credits, rejections and reversals. A
 * brute-force model kept here says, before each command, whether it would take `available`
 * below -limit; the domain must refuse exactly then, and after every accepted event the
 * wallet's `available` (folded from its events) must be at or above -limit.
 */

const WALLETS = ['wallet-a', 'wallet-b', 'wallet-c', 'wallet-d'];

const limitArb: fc.Arbitrary<OverdraftLimit> = fc.oneof({ weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 1_500n }) }, { weight: 1, arbitrary: fc.constant('unlimited' as const) });

type Step =
  | { kind: 'credit' | 'debit'; amountMinor: bigint; pending: boolean }
  /** A debit of exactly what the floor allows, `beyond` more. */
  | { kind: 'toFloor'; beyond: bigint; pending: boolean }
  | { kind: 'increase' | 'capture' | 'reverse'; pick: number; amountMinor: bigint }
  | { kind: 'reject'; pick: number }
  | { kind: 'setLimit'; limit: OverdraftLimit }
  /** A new limit of exactly what the wallet uses, `below` less. */
  | { kind: 'limitToUsage'; below: bigint };

const amount = fc.bigInt({ min: 1n, max: 1_000n });
const step: fc.Arbitrary<{ wallet: number; step: Step }> = fc.record({
  wallet: fc.nat({ max: WALLETS.length - 1 }),
  step: fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constantFrom('credit' as const, 'debit' as const, 'debit' as const), amountMinor: amount, pending: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('toFloor' as const), beyond: fc.constantFrom(0n, 1n), pending: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('increase' as const, 'capture' as const, 'reverse' as const), pick: fc.nat(), amountMinor: amount }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('reject' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('setLimit' as const), limit: limitArb }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('limitToUsage' as const), below: fc.constantFrom(0n, 1n) }) },
  ),
});

/** The model of one transaction: what it holds, captured and gave back. */
interface ModelTransaction {
  readonly transactionType: TransactionType;
  heldMinor: bigint;
  capturedMinor: bigint;
  reversedMinor: bigint;
  readonly isReversal: boolean;
  pending: boolean;
}

/** One wallet: the domain's events and state, and the model's limit and transactions. */
interface WalletRun {
  readonly walletId: string;
  readonly events: WalletEvent[];
  state: WalletState;
  limit: OverdraftLimit;
  readonly model: Map<string, ModelTransaction>;
}

/** The model's available: captured credits less captured debits less what debits hold. */
function modelAvailable(run: WalletRun): bigint {
  let available = 0n;
  for (const t of run.model.values()) {
    available += t.transactionType === 'credit' ? t.capturedMinor : -t.capturedMinor;
    if (t.transactionType === 'debit') available -= t.heldMinor;
  }
  return available;
}

/** The model's floor: how far `available` may go, or none. */
const floorOf = (limit: OverdraftLimit): bigint | null => (limit === 'unlimited' ? null : -limit);

/** A transaction of the wallet matching `fits`, chosen by `pick`; undefined when none does. */
function choose(run: WalletRun, pick: number, fits: (t: ModelTransaction) => boolean): string | undefined {
  const ids = [...run.model].filter(([, t]) => fits(t)).map(([id]) => id);
  return ids.length === 0 ? undefined : ids[pick % ids.length];
}

/**
 * The command of a step, every one valid but for the floor, and what it would take from
 * `available` (the model's view); undefined when the wallet has nothing for the step to act on.
 */
function commandOf(run: WalletRun, s: Step, index: number): { command: WalletCommand; takesMinor: bigint } | undefined {
  const { walletId } = run;
  const now = new Date(T0.getTime() + index * 1_000);
  const transactionId = `tx-${index}`;
  switch (s.kind) {
    case 'credit':
      return { command: record({ walletId, transactionId, transactionType: 'credit', amountMinor: s.amountMinor, pending: s.pending, now }), takesMinor: 0n };
    case 'debit':
      return { command: record({ walletId, transactionId, transactionType: 'debit', amountMinor: s.amountMinor, pending: s.pending, now }), takesMinor: s.amountMinor };
    case 'toFloor': {
      const floor = floorOf(run.limit);
      const amountMinor = floor === null ? 10n ** 12n : modelAvailable(run) - floor + s.beyond;
      if (amountMinor < 1n) return undefined;
      return { command: record({ walletId, transactionId, transactionType: 'debit', amountMinor, pending: s.pending, now }), takesMinor: amountMinor };
    }
    case 'increase': {
      const id = choose(run, s.pick, (t) => t.pending && t.transactionType === 'debit');
      return id === undefined ? undefined : { command: increase(id, s.amountMinor, { walletId, now }), takesMinor: s.amountMinor };
    }
    case 'capture': {
      const id = choose(run, s.pick, (t) => t.pending);
      if (id === undefined) return undefined;
      const amountMinor = s.amountMinor <= run.model.get(id)!.heldMinor ? s.amountMinor : null;
      return { command: confirm(id, { walletId, amountMinor, now }), takesMinor: 0n };
    }
    case 'reject': {
      const id = choose(run, s.pick, (t) => t.pending);
      return id === undefined ? undefined : { command: reject(id, { walletId, now }), takesMinor: 0n };
    }
    case 'reverse': {
      const id = choose(run, s.pick, (t) => !t.pending && !t.isReversal && t.capturedMinor > t.reversedMinor);
      if (id === undefined) return undefined;
      const original = run.model.get(id)!;
      const amountMinor = s.amountMinor <= original.capturedMinor - original.reversedMinor ? s.amountMinor : null;
      const give = amountMinor ?? original.capturedMinor - original.reversedMinor;
      return { command: reverse(id, { walletId, reversalId: `rev-${index}`, amountMinor, now }), takesMinor: original.transactionType === 'credit' ? give : 0n };
    }
    case 'setLimit':
      return { command: setOverdraftLimit(s.limit, { walletId, now }), takesMinor: 0n };
    case 'limitToUsage': {
      const usage = -modelAvailable(run) - s.below;
      return usage < 0n ? undefined : { command: setOverdraftLimit(usage, { walletId, now }), takesMinor: 0n };
    }
  }
}

/** What the model says of a command: refused for the floor, or accepted. */
function floorVerdict(run: WalletRun, command: WalletCommand, takesMinor: bigint): 'INSUFFICIENT_FUNDS' | 'OVERDRAFT_LIMIT_BELOW_USAGE' | 'accepted' {
  if (command.type === 'SetOverdraftLimit') {
    const floor = floorOf(command.overdraftLimit);
    return floor !== null && modelAvailable(run) < floor ? 'OVERDRAFT_LIMIT_BELOW_USAGE' : 'accepted';
  }
  const floor = floorOf(run.limit);
  return takesMinor > 0n && floor !== null && modelAvailable(run) - takesMinor < floor ? 'INSUFFICIENT_FUNDS' : 'accepted';
}

/** What an accepted command does to the model, by the rules of the API. */
function applyToModel(run: WalletRun, command: WalletCommand): void {
  switch (command.type) {
    case 'SetOverdraftLimit':
      run.limit = command.overdraftLimit;
      return;
    case 'RecordTransaction': {
      const { transactionType, amountMinor, pending } = command;
      run.model.set(command.transactionId, { transactionType, heldMinor: pending ? amountMinor : 0n, capturedMinor: pending ? 0n : amountMinor, reversedMinor: 0n, isReversal: false, pending });
      return;
    }
    case 'IncreaseHold':
      run.model.get(command.transactionId)!.heldMinor += command.amountMinor;
      return;
    case 'ConfirmTransaction': {
      const hold = run.model.get(command.transactionId)!;
      hold.capturedMinor += command.amountMinor ?? hold.heldMinor;
      hold.heldMinor = 0n;
      hold.pending = false;
      return;
    }
    case 'RejectTransaction': {
      const hold = run.model.get(command.transactionId)!;
      hold.heldMinor = 0n;
      hold.pending = false;
      return;
    }
    case 'ReverseTransaction': {
      const original = run.model.get(command.transactionId)!;
      const give = command.amountMinor ?? original.capturedMinor - original.reversedMinor;
      original.reversedMinor += give;
      const transactionType = original.transactionType === 'credit' ? 'debit' : 'credit';
      run.model.set(command.reversalId, { transactionType, heldMinor: 0n, capturedMinor: give, reversedMinor: 0n, isReversal: true, pending: false });
      return;
    }
    default:
      throw new Error(`The model does not know ${command.type}.`);
  }
}

/** What a run saw, so that the property can tell it reached the cases it is about. */
interface Coverage {
  floorRefusals: number;
  belowUsageRefusals: number;
  atTheFloor: number;
  unlimitedDeep: number;
}

/** Decides one command, checks the refusal against the model, and folds and checks what was accepted. */
function decideAndCheck(run: WalletRun, command: WalletCommand, takesMinor: bigint, coverage: Coverage): void {
  const verdict = floorVerdict(run, command, takesMinor);
  let events: WalletEvent[];
  try {
    events = decideWallet(command, run.state);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    expect({ command, refused: error.code }).toEqual({ command, refused: verdict });
    if (verdict === 'INSUFFICIENT_FUNDS') coverage.floorRefusals += 1;
    else coverage.belowUsageRefusals += 1;
    return;
  }
  expect({ command, refused: null }).toEqual({ command, refused: verdict === 'accepted' ? null : verdict });
  applyToModel(run, command);
  for (const event of events) {
    run.events.push(event);
    run.state = evolveWallet(run.state, event);
    // The limit in force is the one the events say, and `available` never passes its floor.
    const { availableMinor } = balanceOf(run.events.reduce(applyToBalance, zeroBalance));
    expect(run.state.overdraftLimit).toBe(run.limit);
    const floor = floorOf(run.state.overdraftLimit);
    if (floor !== null) expect(availableMinor).toBeGreaterThanOrEqual(floor);
    if (floor !== null && availableMinor === floor && floor < 0n) coverage.atTheFloor += 1;
    if (floor === null && availableMinor < -10_000n) coverage.unlimitedDeep += 1;
  }
  expect(balanceOf(run.state).availableMinor).toBe(modelAvailable(run));
}

describe('overdraft limit properties', () => {
  it.each([17, 2026])('available never passes -limit, and the floor refuses exactly when crossed (seed %i)', (seed) => {
    const coverage: Coverage = { floorRefusals: 0, belowUsageRefusals: 0, atTheFloor: 0, unlimitedDeep: 0 };
    fc.assert(
      fc.property(fc.array(limitArb, { minLength: WALLETS.length, maxLength: WALLETS.length }), fc.array(step, { minLength: 10, maxLength: 60 }), (limits, steps) => {
        const runs: WalletRun[] = WALLETS.map((walletId, i) => {
          const events = decideWallet(openWallet({ walletId, owners: [], overdraftLimit: limits[i]! }), initialWalletState);
          return { walletId, events, state: events.reduce(evolveWallet, initialWalletState), limit: limits[i]!, model: new Map() };
        });
        steps.forEach(({ wallet, step: s }, index) => {
          const run = runs[wallet]!;
          const next = commandOf(run, s, index);
          if (next) decideAndCheck(run, next.command, next.takesMinor, coverage);
        });
      }),
      { seed, numRuns: 150 },
    );
    // The runs must reach the floor, refuse past it and take system wallets deep, or the property proves little.
    for (const [what, count] of Object.entries(coverage)) expect({ what, reached: count > 20 }).toEqual({ what, reached: true });
  });
});

import { T0, confirmGroup, leg, openWallet, recordGroup, rejectGroup, reverseGroup } from '@wallet/testing';
import fc from 'fast-check';
import { DomainError } from './domain-error';
import type { GroupCommand } from './group.commands';
import { decideGroup } from './group.decide';
import type { GroupEvent } from './group.events';
import { evolveGroup } from './group.evolve';
import { type GroupState, initialGroupState } from './group.state';
import { applyToBalance, zeroBalance } from './wallet.balance';
import { decideWallet } from './wallet.decide';
import type { OverdraftLimit, WalletEvent } from './wallet.events';
import { evolveWallet } from './wallet.evolve';
import { type WalletState, balanceOf, initialWalletState } from './wallet.state';

/**
 * Money enters and leaves the platform only through system wallets ("unlimited"): when every
 * movement is a group between user wallets (limit 0) and system wallets, the ledgers of all
 * wallets sum to exactly 0 after every accepted group, pending groups hold as much on one side
 * as on the other, and no user wallet's `available` drops below 0. Group references drawn from
 * a small pool are refused exactly when an earlier group took them.
 */

const USERS = ['user-a', 'user-b', 'user-c'];
const SYSTEMS = ['system-funding', 'system-fees'];
const WALLETS = [...USERS, ...SYSTEMS];
const limitOf = (walletId: string): OverdraftLimit => (SYSTEMS.includes(walletId) ? 'unlimited' : 0n);

type Step =
  /** `amountMinor` from one wallet to one or two others; `reference` from a pool of five, or none. */
  | { kind: 'transfer'; from: number; to: number[]; amountMinor: bigint; pending: boolean; reference: number | null }
  | { kind: 'confirm' | 'reject' | 'reverse'; pick: number; reference: number | null };

const walletIndex = fc.nat({ max: WALLETS.length - 1 });
const reference = fc.option(fc.nat({ max: 4 }), { freq: 2 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('transfer' as const),
      from: walletIndex,
      to: fc.uniqueArray(walletIndex, { minLength: 1, maxLength: 2 }),
      amountMinor: fc.bigInt({ min: 1n, max: 5_000n }),
      pending: fc.boolean(),
      reference,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('confirm' as const, 'reject' as const, 'reverse' as const), pick: fc.nat(), reference }) },
);

/** The platform as the run sees it: every wallet's events and state, every group, and who holds each reference. */
interface Platform {
  readonly events: Map<string, WalletEvent[]>;
  readonly wallets: Map<string, WalletState>;
  readonly groups: Map<string, GroupState>;
  readonly holders: Map<string, string>;
}

/** Splits `amountMinor` among the receivers: the first takes the remainder. */
function creditLegs(to: readonly string[], amountMinor: bigint, groupId: string) {
  const share = amountMinor / BigInt(to.length);
  return to.map((walletId, i) => leg(walletId, `${groupId}-in-${i}`, 'credit', i === 0 ? amountMinor - share * BigInt(to.length - 1) : share));
}

/** The command of a step; undefined when it has nothing to act on. */
function commandOf(platform: Platform, s: Step, index: number): GroupCommand | undefined {
  const now = new Date(T0.getTime() + index * 1_000);
  const ref = s.reference === null ? null : `ref-${s.reference}`;
  if (s.kind === 'transfer') {
    const from = WALLETS[s.from]!;
    const to = s.to.map((i) => WALLETS[i]!).filter((id) => id !== from);
    if (to.length === 0 || s.amountMinor < BigInt(to.length)) return undefined;
    const groupId = `group-${index}`;
    const legs = [leg(from, `${groupId}-out`, 'debit', s.amountMinor), ...creditLegs(to, s.amountMinor, groupId)];
    return recordGroup(legs, { groupId, pending: s.pending, reference: ref, now });
  }
  const wanted = s.kind === 'reverse' ? (g: GroupState) => g.status === 'completed' && g.reversedBy === null && g.reversalOf === null : (g: GroupState) => g.status === 'pending';
  const candidates = [...platform.groups.values()].filter(wanted);
  if (candidates.length === 0) return undefined;
  const { groupId } = candidates[s.pick % candidates.length]!;
  if (s.kind === 'confirm') return confirmGroup({ groupId, now });
  if (s.kind === 'reject') return rejectGroup(null, { groupId, now });
  return reverseGroup({ groupId, reversalGroupId: `group-${index}`, reversalTransactionIds: [0, 1, 2].map((i) => `rev-${index}-${i}`), reference: ref, now });
}

/** What the model expects of a new group: refused for its reference, for a user wallet's funds, or accepted. */
function expectedOf(platform: Platform, command: GroupCommand): string | undefined {
  const reference = command.type === 'RecordGroup' || command.type === 'ReverseGroup' ? command.reference : null;
  if (reference != null && platform.holders.has(reference)) return 'REFERENCE_ALREADY_USED';
  if (command.type !== 'RecordGroup') return undefined;
  const debit = command.legs[0]!;
  const fromUser = limitOf(debit.walletId) !== 'unlimited';
  return fromUser && balanceOf(platform.wallets.get(debit.walletId)!).availableMinor < debit.amountMinor ? 'INSUFFICIENT_FUNDS' : 'accepted';
}

function applyGroupEvents(platform: Platform, groupId: string, events: readonly GroupEvent[]): void {
  platform.groups.set(groupId, events.reduce(evolveGroup, platform.groups.get(groupId) ?? { ...initialGroupState, groupId }));
}

/** Decides a group command against the platform; when accepted, applies every event it produced. */
function decideAndApply(platform: Platform, command: GroupCommand, counts: Map<string, number>): void {
  const expected = expectedOf(platform, command);
  const group = platform.groups.get(command.groupId) ?? { ...initialGroupState, groupId: command.groupId };
  let decision;
  try {
    decision = decideGroup(command, group, platform.wallets, platform.holders);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (expected !== undefined) expect({ command, outcome: error.code }).toEqual({ command, outcome: expected });
    counts.set(error.code, (counts.get(error.code) ?? 0) + 1);
    return;
  }
  if (expected !== undefined) expect({ command, outcome: 'accepted' }).toEqual({ command, outcome: expected });
  counts.set(command.type, (counts.get(command.type) ?? 0) + 1);
  for (const [walletId, events] of decision.walletEvents) {
    platform.events.get(walletId)!.push(...events);
    platform.wallets.set(walletId, events.reduce(evolveWallet, platform.wallets.get(walletId)!));
  }
  applyGroupEvents(platform, group.groupId, decision.groupEvents);
  if (decision.reversalGroup) applyGroupEvents(platform, decision.reversalGroup.groupId, decision.reversalGroup.groupEvents);
  if (decision.referenceReserved) platform.holders.set(decision.referenceReserved.data.reference, decision.referenceReserved.data.groupId);
}

/** The platform's totals, each wallet folded from its own events. */
function checkConservation(platform: Platform): void {
  const totals = WALLETS.map((walletId) => ({ walletId, ...platform.events.get(walletId)!.reduce(applyToBalance, zeroBalance) }));
  const sum = (pick: (t: (typeof totals)[number]) => bigint) => totals.reduce((total, t) => total + pick(t), 0n);
  expect({ ledger: sum((t) => t.ledgerMinor), pendingDebitsLessCredits: sum((t) => t.pendingDebitsMinor - t.pendingCreditsMinor) }).toEqual({ ledger: 0n, pendingDebitsLessCredits: 0n });
  const overdrawnUsers = totals.filter((t) => USERS.includes(t.walletId) && balanceOf(t).availableMinor < 0n);
  expect(overdrawnUsers).toEqual([]);
}

describe('conservation of money between user and system wallets', () => {
  it.each([17, 4242])('all ledgers sum to 0 after every accepted group (seed %i)', (seed) => {
    const counts = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 50 }), (steps) => {
        const platform: Platform = { events: new Map(), wallets: new Map(), groups: new Map(), holders: new Map() };
        for (const walletId of WALLETS) {
          const events = decideWallet(openWallet({ walletId, owners: [], overdraftLimit: limitOf(walletId) }), initialWalletState);
          platform.events.set(walletId, events);
          platform.wallets.set(walletId, events.reduce(evolveWallet, initialWalletState));
        }
        steps.forEach((s, index) => {
          const command = commandOf(platform, s, index);
          if (command === undefined) return;
          decideAndApply(platform, command, counts);
          checkConservation(platform);
        });
      }),
      { seed, numRuns: 150 },
    );
    // Every kind of group and both refusals must be reached, or the property proves little.
    for (const what of ['RecordGroup', 'ConfirmGroup', 'RejectGroup', 'ReverseGroup', 'INSUFFICIENT_FUNDS', 'REFERENCE_ALREADY_USED']) {
      expect({ what, reached: (counts.get(what) ?? 0) > 20 }).toEqual({ what, reached: true });
    }
  });
});

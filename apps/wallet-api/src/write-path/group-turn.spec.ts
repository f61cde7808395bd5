import { type GroupCommand, type WalletEvent, type WalletState, balanceOf, foldWallet, groupStream, walletStream } from '@wallet/domain';
import { credited, leg, opened, recordGroup, confirmGroup } from '@wallet/testing';
import { type TurnStates, decideGroupTurn, unconfirmedStreams } from './group-turn';

const SYSTEM = 'wallet-system';
const A = 'wallet-a';
const B = 'wallet-b';

const walletOf = (walletId: string, events: WalletEvent[]): WalletState => foldWallet([opened({ walletId }), ...events]);
const funded = (walletId: string, amountMinor: bigint): WalletState => walletOf(walletId, [credited(`seed-${walletId}`, amountMinor, { walletId })]);
const states = (...wallets: WalletState[]): TurnStates => ({ wallets: new Map(wallets.map((w) => [w.walletId, w])), groups: new Map(), holders: new Map() });

/** `amountMinor` from `from` to `to` as group `id`. */
const transfer = (id: string, from: string, to: string, amountMinor: bigint, reference: string | null = null): GroupCommand =>
  recordGroup([leg(from, `${id}-debit`, 'debit', amountMinor), leg(to, `${id}-credit`, 'credit', amountMinor)], { groupId: id, reference });

const available = (turn: ReturnType<typeof decideGroupTurn>, walletId: string): bigint => balanceOf(turn.after.wallets.get(walletId)!).availableMinor;

describe('decideGroupTurn', () => {
  it('decides each group on the states the ones before it left', () => {
    const turn = decideGroupTurn([transfer('g1', SYSTEM, A, 60n), transfer('g2', SYSTEM, B, 40n)], states(funded(SYSTEM, 100n), funded(A, 0n), funded(B, 0n)));
    expect(turn.outcomes.map((o) => o?.accepted)).toEqual([true, true]);
    expect(available(turn, SYSTEM)).toBe(0n);
    expect(available(turn, A)).toBe(60n);
    // The second group's debit expects the revision the first one's left: one append checks both.
    const second = turn.outcomes[1]!;
    if (!second.accepted) throw new Error('refused');
    expect(second.appends.find((a) => a.stream === walletStream(SYSTEM))!.expectedRevision).toBe(2);
  });

  it('refuses a group the earlier ones left short, and the next is decided as if it had not come', () => {
    const turn = decideGroupTurn(
      [transfer('g1', SYSTEM, A, 70n), transfer('g2', SYSTEM, B, 40n), transfer('g3', SYSTEM, B, 30n)],
      states(funded(SYSTEM, 100n), funded(A, 0n), funded(B, 0n)),
    );
    expect(turn.outcomes.map((o) => o?.accepted)).toEqual([true, false, true]);
    const refused = turn.outcomes[1]!;
    if (refused.accepted) throw new Error('accepted');
    expect((refused.refused as { code: string }).code).toBe('INSUFFICIENT_FUNDS');
    expect(available(turn, SYSTEM)).toBe(0n);
    expect(available(turn, B)).toBe(30n);
    expect(turn.appended.has(groupStream('g2'))).toBe(false);
    expect([...turn.appended].sort()).toEqual([groupStream('g1'), groupStream('g3'), walletStream(A), walletStream(B), walletStream(SYSTEM)].sort());
  });

  it('gives a reference to the first group that names it; a later one in the same turn is refused', () => {
    const turn = decideGroupTurn([transfer('g1', SYSTEM, A, 1n, 'order-7'), transfer('g2', SYSTEM, B, 1n, 'order-7')], states(funded(SYSTEM, 10n), funded(A, 0n), funded(B, 0n)));
    const second = turn.outcomes[1]!;
    if (second.accepted) throw new Error('accepted');
    expect(second.refused).toMatchObject({ code: 'REFERENCE_ALREADY_USED', details: { existingId: 'g1' } });
    expect(turn.after.holders.get('order-7')).toBe('g1');
  });

  it('confirms a group recorded earlier in the same turn, once', () => {
    const pending = recordGroup([leg(SYSTEM, 't1', 'debit', 5n), leg(A, 't2', 'credit', 5n)], { groupId: 'g1', pending: true });
    const turn = decideGroupTurn([pending, confirmGroup({ groupId: 'g1' }), confirmGroup({ groupId: 'g1' })], states(funded(SYSTEM, 5n), funded(A, 0n)));
    expect(turn.outcomes.map((o) => o?.accepted)).toEqual([true, true, false]);
    expect(turn.after.groups.get('g1')).toMatchObject({ status: 'completed', version: 2 });
    expect(available(turn, A)).toBe(5n);
  });

  it('leaves out commands given as null', () => {
    const turn = decideGroupTurn([null, transfer('g2', SYSTEM, A, 10n)], states(funded(SYSTEM, 10n), funded(A, 0n)));
    expect(turn.outcomes[0]).toBeNull();
    expect(available(turn, SYSTEM)).toBe(0n);
  });

  it('names, of the streams refusals were judged on, the assumed ones that no append checks', () => {
    const start = states(funded(SYSTEM, 10n), funded(A, 0n), funded(B, 0n));
    const turn = decideGroupTurn([transfer('g1', SYSTEM, A, 10n), transfer('g2', B, SYSTEM, 5n)], start);
    const assumed = new Set([walletStream(SYSTEM), walletStream(A), walletStream(B), groupStream('g1'), groupStream('g2')]);
    // g2 was refused on B (no funds): B and g2's stream are not appended, SYSTEM is.
    expect(unconfirmedStreams(turn, assumed).sort()).toEqual([groupStream('g2'), walletStream(B)].sort());
    expect(unconfirmedStreams(turn, new Set([walletStream(SYSTEM)]))).toEqual([]);
    // Pure: the states given are left as they were.
    expect(start.groups.size).toBe(0);
    expect(balanceOf(start.wallets.get(SYSTEM)!).availableMinor).toBe(10n);
  });
});

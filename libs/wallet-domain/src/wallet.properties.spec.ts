import { T0, confirm, openWallet, record, reject } from '@wallet/testing';
import fc from 'fast-check';
import { DomainError } from './domain-error';
import type { WalletCommand } from './wallet.commands';
import { decideWallet } from './wallet.decide';
import type { TransactionType } from './wallet.events';
import { evolveWallet } from './wallet.evolve';
import { type WalletState, balanceOf, initialWalletState } from './wallet.state';

type Step =
  | { kind: 'record'; transactionType: TransactionType; amountMinor: bigint; pending: boolean; ttlMs: number | null; advanceMs: number }
  | { kind: 'confirm' | 'reject'; pick: number; advanceMs: number };

const advanceMs = fc.integer({ min: 0, max: 5_000 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('record' as const),
    transactionType: fc.constantFrom<TransactionType>('credit', 'debit'),
    amountMinor: fc.bigInt({ min: -2n, max: 1_000n }),
    pending: fc.boolean(),
    ttlMs: fc.option(fc.integer({ min: -10, max: 10_000 })),
    advanceMs,
  }),
  fc.record({ kind: fc.constantFrom('confirm' as const, 'reject' as const), pick: fc.nat(), advanceMs }),
);

/** Independent model: what should be on the ledger, from the commands that succeeded. */
interface Model {
  confirmedCredits: bigint;
  confirmedDebits: bigint;
  pending: Map<string, { transactionType: TransactionType; amountMinor: bigint }>;
}

describe('wallet properties', () => {
  it('available never goes negative and ledger = confirmed credits - confirmed debits', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const openedNow = new Date(T0.getTime());
        let state: WalletState = decideWallet(openWallet({ owners: [], now: openedNow }), initialWalletState).reduce(evolveWallet, initialWalletState);
        const model: Model = { confirmedCredits: 0n, confirmedDebits: 0n, pending: new Map() };
        const ids: string[] = [];
        let clock = T0.getTime();

        steps.forEach((s, i) => {
          clock += s.advanceMs;
          const now = new Date(clock);
          let command: WalletCommand;
          if (s.kind === 'record') {
            const transactionId = `tx-${i}`;
            ids.push(transactionId);
            const expiresAt = s.ttlMs === null ? null : new Date(clock + s.ttlMs);
            command = record({ transactionId, transactionType: s.transactionType, amountMinor: s.amountMinor, pending: s.pending, expiresAt, now });
          } else {
            const transactionId = ids.length === 0 ? 'tx-none' : ids[s.pick % ids.length]!;
            command = s.kind === 'confirm' ? confirm(transactionId, { now }) : reject(transactionId, { now });
          }

          let events;
          try {
            events = decideWallet(command, state);
          } catch (error) {
            if (error instanceof DomainError) return;
            throw error;
          }
          state = events.reduce(evolveWallet, state);

          if (command.type === 'RecordTransaction') {
            if (command.pending) model.pending.set(command.transactionId, command);
            else if (command.transactionType === 'credit') model.confirmedCredits += command.amountMinor;
            else model.confirmedDebits += command.amountMinor;
          } else if (command.type === 'ConfirmTransaction' || command.type === 'RejectTransaction') {
            const hold = model.pending.get(command.transactionId)!;
            model.pending.delete(command.transactionId);
            if (command.type === 'ConfirmTransaction') {
              if (hold.transactionType === 'credit') model.confirmedCredits += hold.amountMinor;
              else model.confirmedDebits += hold.amountMinor;
            }
          }

          const balance = balanceOf(state);
          const sumPending = (type: TransactionType) =>
            [...model.pending.values()].filter((h) => h.transactionType === type).reduce((sum, h) => sum + h.amountMinor, 0n);
          expect(balance.availableMinor).toBeGreaterThanOrEqual(0n);
          expect(balance.ledgerMinor).toBe(model.confirmedCredits - model.confirmedDebits);
          expect(balance.pendingDebitsMinor).toBe(sumPending('debit'));
          expect(balance.pendingCreditsMinor).toBe(sumPending('credit'));
          expect(state.holds.size).toBe(model.pending.size);
        });
        expect(state.version).toBeGreaterThanOrEqual(1);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

import {
  DomainError,
  type GroupCommand,
  type GroupDecision,
  type GroupEvent,
  type GroupReferenceReserved,
  type WalletEvent,
  type WalletState,
  decideGroup,
  evolveWallet,
  foldGroup,
  foldWallet,
  initialGroupState,
  initialWalletState,
  walletsOfGroupCommand,
} from '@wallet/domain';
import { groupId } from './builders/group.builders';

/** What the group decider is given: the wallets' events and the group's own. */
export interface GroupHistory {
  readonly wallets?: readonly WalletEvent[];
  readonly group?: readonly GroupEvent[];
  /** The group holding each reference, as the reference streams say. */
  readonly referenceHolders?: ReadonlyMap<string, string>;
}

interface Expected {
  readonly group: GroupEvent[];
  readonly wallets: Record<string, WalletEvent[]>;
  /** Expected only when the command names a reference: absent, the decision must reserve none. */
  readonly referenceReserved?: GroupReferenceReserved;
}

/**
 * given(history).when(command).then(events) for the group decider. The wallets' events are
 * folded per wallet (each names its wallet); as the command runner does, every wallet the
 * command touches is passed in, an unknown one as the initial (non-existent) state.
 */
export function groupDeciderSpec() {
  return { given };
}

function given({ wallets = [], group = [], referenceHolders = new Map() }: GroupHistory) {
  const walletStates = new Map<string, WalletState>();
  for (const event of wallets) walletStates.set(event.data.walletId, evolveWallet(walletStates.get(event.data.walletId) ?? initialWalletState, event));
  const groupState = foldGroup(group, { ...initialGroupState, groupId });
  return {
    when(command: GroupCommand) {
      const states = new Map(walletStates);
      for (const id of walletsOfGroupCommand(command, groupState)) if (!states.has(id)) states.set(id, initialWalletState);
      const run = () => decideGroup(command, groupState, states, referenceHolders);
      return {
        then(expected: Expected): void {
          const decision = run();
          const reserved = decision.referenceReserved ? { referenceReserved: decision.referenceReserved } : {};
          expect({ group: decision.groupEvents, wallets: Object.fromEntries(decision.walletEvents), ...reserved }).toEqual(expected);
        },
        /** The whole decision, for what `then` does not compare (the reversal group). */
        thenDecision(): GroupDecision {
          return run();
        },
        /** Refused with `code`; `legIndex` names the refused leg, `null` says no leg is named. */
        thenThrows(code: string, legIndex?: number | null): void {
          const error = refusal(run);
          expect(error).toBeInstanceOf(DomainError);
          expect(error.code).toBe(code);
          if (legIndex === null) expect(error.details).not.toHaveProperty('legIndex');
          else if (legIndex !== undefined) expect(error.details).toMatchObject({ legIndex });
        },
        /** Every wallet the command touched, after its events. */
        thenWallets(): Map<string, WalletState> {
          const decision = run();
          return new Map([...decision.walletEvents].map(([id, events]) => [id, foldWallet(events, states.get(id)!)] as const));
        },
      };
    },
  };
}

/** What `run` threw. */
export function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the command to be refused');
}

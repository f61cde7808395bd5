export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
}

/**
 * Spec helper for deciders: given(events).when(command).then(events) or .thenThrows(code).
 * The expectations use Jest's matchers, so a failing spec shows a diff.
 */
export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: Event[]) {
      const state = history.reduce(decider.evolve, decider.initialState);
      return {
        when(command: Command) {
          const decide = (): Event[] => decider.decide(command, state);
          return {
            then(expected: Event[]): void {
              expect(decide()).toEqual(expected);
            },
            thenThrows(code: string): void {
              let thrown: unknown;
              try {
                decide();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toMatchObject({ code });
            },
            /** The state after the decided events, for assertions on balances. */
            thenState(): State {
              return decide().reduce(decider.evolve, state);
            },
          };
        },
      };
    },
  };
}

import { Inject, Injectable } from '@nestjs/common';
import { type GroupState, decodeGroupEvent, evolveGroup, groupStream, initialGroupState } from '@wallet/domain';
import { EVENT_STORE, type EventStore } from '@wallet/event-store';

const STREAM_PAGE_SIZE = 100;

/** Group states, folded from their (short) streams on every use. */
@Injectable()
export class GroupStates {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(groupId: string): Promise<GroupState> {
    let state = { ...initialGroupState, groupId };
    for (;;) {
      const page = await this.store.readStream(groupStream(groupId), { fromRevision: state.version, maxCount: STREAM_PAGE_SIZE });
      for (const recorded of page) state = evolveGroup(state, decodeGroupEvent(recorded));
      if (page.length < STREAM_PAGE_SIZE) return state;
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { type GroupState, decodeGroupEvent, evolveGroup, groupStream, initialGroupState } from '@wallet/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent, readEachStream } from '@wallet/event-store';

const STREAM_PAGE_SIZE = 100;

/** Group states, folded from their (short) streams on every use. */
@Injectable()
export class GroupStates {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(groupId: string): Promise<GroupState> {
    const [state] = await this.loadMany([groupId]);
    return state!;
  }

  /** Like `load` for each group, in order; in one round trip when the store can. */
  async loadMany(groupIds: readonly string[]): Promise<GroupState[]> {
    const pages = await readEachStream(this.store, groupIds.map((id) => ({ stream: groupStream(id), fromRevision: 0 })), STREAM_PAGE_SIZE);
    return Promise.all(
      groupIds.map((groupId, index) => {
        const state = fold({ ...initialGroupState, groupId }, pages[index]!);
        // A page that came back full may not be the whole stream.
        return pages[index]!.length < STREAM_PAGE_SIZE ? state : this.readOn(state);
      }),
    );
  }

  private async readOn(from: GroupState): Promise<GroupState> {
    let state = from;
    for (;;) {
      const page = await this.store.readStream(groupStream(state.groupId), { fromRevision: state.version, maxCount: STREAM_PAGE_SIZE });
      state = fold(state, page);
      if (page.length < STREAM_PAGE_SIZE) return state;
    }
  }
}

function fold(state: GroupState, page: readonly RecordedEvent[]): GroupState {
  return page.reduce((folded, recorded) => evolveGroup(folded, decodeGroupEvent(recorded)), state);
}

import type { EventStore, RecordedEvent, StreamFrom } from './event-store.port';

/**
 * For each read, in order, what readStream returns for it with `maxCountEach`: in one round
 * trip when the store offers readStreams, else stream by stream, at once.
 */
export function readEachStream(store: EventStore, reads: readonly StreamFrom[], maxCountEach: number): Promise<RecordedEvent[][]> {
  if (reads.length === 0) return Promise.resolve([]);
  if (store.readStreams) return store.readStreams(reads, maxCountEach);
  return Promise.all(reads.map(({ stream, fromRevision }) => store.readStream(stream, { fromRevision, maxCount: maxCountEach })));
}

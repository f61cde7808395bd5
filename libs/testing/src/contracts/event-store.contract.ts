import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '@wallet/event-store';

export interface EventStoreFixture {
  readonly store: EventStore;
  readonly teardown: () => Promise<void>;
  /**
   * What a second append of an event id does: PostgreSQL refuses it anywhere in the log;
   * KurrentDB writes the same events to the same stream once (idempotent append).
   */
  readonly eventIds: 'unique' | 'idempotent-per-stream';
}

export function newEvent(type = 'Something', data: unknown = {}, id?: string): NewEvent {
  return { id, type, schemaVersion: 1, data, metadata: { correlationId: randomUUID(), causationId: randomUUID() } };
}

const stream = (): string => `test-${randomUUID()}`;

async function settle<T>(promises: Promise<T>[]): Promise<{ won: T[]; lost: unknown[] }> {
  const results = await Promise.allSettled(promises);
  return {
    won: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    lost: results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])),
  };
}

/**
 * The behaviour every EventStore adapter must show. Each adapter's integration spec calls
 * this with a factory for a fresh, empty store.
 */
export function describeEventStoreContract(adapter: string, createFixture: () => Promise<EventStoreFixture>): void {
  describe(`EventStore contract: ${adapter}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;

    beforeAll(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });
    afterAll(async () => fixture.teardown());

    it('appends to a new stream and reads it back with revisions, positions and metadata', async () => {
      const name = stream();
      const event = { ...newEvent('Opened', { a: 1 }), metadata: { correlationId: 'c-1', causationId: 'c-0', idempotencyKey: 'k-1' } };
      const result = await store.append(name, [event, newEvent('Changed', { b: '2' })], 'no_stream');
      expect(result.nextExpectedRevisions.get(name)).toBe(1);
      const read = await store.readStream(name, { maxCount: 10 });
      expect(read.map((e) => [e.type, e.revision, e.data])).toEqual([['Opened', 0, { a: 1 }], ['Changed', 1, { b: '2' }]]);
      expect(read[0]!.metadata).toEqual({ correlationId: 'c-1', causationId: 'c-0', idempotencyKey: 'k-1' });
      expect(read[1]!.position).toBe(result.position);
      expect(read[0]!.position < read[1]!.position).toBe(true);
      expect(read[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('rejects a wrong expected revision and writes nothing', async () => {
      const name = stream();
      await store.append(name, [newEvent()], 'no_stream');
      await expect(store.append(name, [newEvent()], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await expect(store.append(name, [newEvent()], 5)).rejects.toMatchObject({ stream: name, actual: 0 });
      await expect(store.append(stream(), [newEvent()], 0)).rejects.toMatchObject({ actual: 'no_stream' });
      expect(await store.readStream(name, { maxCount: 10 })).toHaveLength(1);
    });

    it('appends with "any" to new and existing streams', async () => {
      const name = stream();
      await store.append(name, [newEvent()], 'any');
      const result = await store.append(name, [newEvent()], 'any');
      expect(result.nextExpectedRevisions.get(name)).toBe(1);
    });

    it('lets exactly one of 20 concurrent writers win each revision', async () => {
      const name = stream();
      for (let revision = -1; revision < 4; revision += 1) {
        const expected = revision < 0 ? 'no_stream' : revision;
        const { won, lost } = await settle(Array.from({ length: 20 }, () => store.append(name, [newEvent()], expected)));
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(19);
        for (const error of lost) expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      }
      const events = await store.readStream(name, { maxCount: 100 });
      expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
    });

    it('keeps every event of 20 retrying writers exactly once, revisions gap-free', async () => {
      const name = stream();
      const writer = async (): Promise<string[]> => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i += 1) ids.push(await appendWithRetry(store, name));
        return ids;
      };
      const written = (await Promise.all(Array.from({ length: 20 }, writer))).flat();
      const events = await store.readStream(name, { maxCount: 1000 });
      expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(new Set(events.map((e) => e.id))).toEqual(new Set(written));
    });

    it('appends to several streams all or nothing', async () => {
      const [a, b] = [stream(), stream()];
      await store.append(b, [newEvent()], 'no_stream');
      const failing = store.appendMany([
        { stream: a, events: [newEvent()], expectedRevision: 'no_stream' },
        { stream: b, events: [newEvent()], expectedRevision: 'no_stream' },
      ]);
      await expect(failing).rejects.toMatchObject({ stream: b });
      expect(await store.readStream(a, { maxCount: 10 })).toHaveLength(0);
      expect(await store.readStream(b, { maxCount: 10 })).toHaveLength(1);

      const result = await store.appendMany([
        { stream: a, events: [newEvent(), newEvent()], expectedRevision: 'no_stream' },
        { stream: b, events: [newEvent()], expectedRevision: 0 },
      ]);
      const byStream = (stream: string) => result.events.filter((e) => e.stream === stream).map((e) => e.revision);
      expect([byStream(a), byStream(b)]).toEqual([[0, 1], [1]]);
      expect(result.position).toBe(result.events.reduce((max, e) => (e.position > max ? e.position : max), 0n));
      expect(result.nextExpectedRevisions).toEqual(new Map([[a, 1], [b, 1]]));
    });

    it('never writes an event id twice', async () => {
      const [name, id] = [stream(), randomUUID()];
      const first = await store.append(name, [newEvent('X', {}, id)], 'no_stream');
      if (fixture.eventIds === 'unique') {
        await expect(store.append(stream(), [newEvent('X', {}, id)], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
      } else {
        const again = await store.append(name, [newEvent('X', {}, id)], 'no_stream');
        expect(again.position).toBe(first.position);
      }
      expect(await store.readStream(name, { maxCount: 10 })).toHaveLength(1);
    });

    it('reports the head of the log: the position of the last event appended', async () => {
      const result = await store.append(stream(), [newEvent(), newEvent()], 'no_stream');
      expect(await store.headPosition()).toBe(result.position);
    });

    it('reads the global log in position order after an exclusive position, bounded', async () => {
      const before = await store.headPosition();
      const first = await store.append(stream(), [newEvent('First')], 'no_stream');
      await store.append(stream(), [newEvent('Second'), newEvent('Third')], 'no_stream');
      const read = await readAllAtLeast(store, before, 3);
      expect(read.map((e) => e.type).slice(0, 3)).toEqual(['First', 'Second', 'Third']);
      expect(isAscending(read)).toBe(true);
      expect(await store.readAll({ after: before, maxCount: 2 })).toHaveLength(2);
      expect((await store.readAll({ after: first.position, maxCount: 1 }))[0]!.type).toBe('Second');
    });

    it('subscribes: catches up, then follows live appends, and stops on abort', async () => {
      const before = await store.headPosition();
      await store.append(stream(), [newEvent('Before')], 'no_stream');
      const controller = new AbortController();
      const received: RecordedEvent[] = [];
      const done = (async () => {
        for await (const batch of store.subscribeAll({ after: before, signal: controller.signal })) {
          received.push(...batch);
          if (received.length >= 3) controller.abort();
        }
      })();
      await waitFor(() => received.length >= 1);
      await store.append(stream(), [newEvent('Live1'), newEvent('Live2')], 'no_stream');
      await done;
      expect(received.map((e) => e.type)).toEqual(['Before', 'Live1', 'Live2']);
    });

    it('reads the log filtered by stream and by type, in order, passing over the rest', async () => {
      const [one, other] = [stream(), stream()];
      const from = await store.headPosition();
      await store.append(one, [newEvent('Kept'), newEvent('Dropped')], 'no_stream');
      await store.append(other, [newEvent('Kept')], 'no_stream');
      await store.append(one, [newEvent('Kept')], 1);
      await readAllAtLeast(store, from, 4);
      const byStream = await store.readFiltered({ after: from, maxCount: 10, filter: { stream: one }, scanMax: 100 });
      expect(byStream.events.map((e) => [e.stream, e.type])).toEqual([[one, 'Kept'], [one, 'Dropped'], [one, 'Kept']]);
      const both = await store.readFiltered({ after: from, maxCount: 10, filter: { stream: one, types: ['Kept'] }, scanMax: 100 });
      expect(both.events.map((e) => e.revision)).toEqual([0, 2]);
      const page = await store.readFiltered({ after: from, maxCount: 1, filter: { types: ['Kept'] }, scanMax: 100 });
      expect(page.nextAfter).toBe(page.events[0]!.position);
      const sparse = await store.readFiltered({ after: from, maxCount: 10, filter: { types: ['NoSuchType'] }, scanMax: 2 });
      expect(sparse.events).toEqual([]);
      expect(sparse.nextAfter > from).toBe(true);
      // All of one stream seen: the next read starts at the newest event, past other streams' events.
      const head = (await readAllAtLeast(store, from, 4)).at(-1)!.position;
      expect(byStream.nextAfter).toBe(head);
      const quiet = await store.readFiltered({ after: head, maxCount: 10, filter: { stream: one }, scanMax: 100 });
      expect([quiet.events, quiet.nextAfter]).toEqual([[], head]);
    });

    it('subscribes with a filter: only matching events, still in order', async () => {
      const name = stream();
      const before = await store.headPosition();
      await store.append(name, [newEvent('A'), newEvent('B')], 'no_stream');
      const controller = new AbortController();
      const received: RecordedEvent[] = [];
      const done = (async () => {
        for await (const batch of store.subscribeAll({ after: before, filter: { stream: name, types: ['B'] }, signal: controller.signal })) {
          received.push(...batch);
          if (received.length >= 2) controller.abort();
        }
      })();
      await store.append(stream(), [newEvent('B')], 'no_stream');
      await store.append(name, [newEvent('B')], 1);
      await done;
      expect(received.map((e) => [e.stream, e.revision])).toEqual([[name, 1], [name, 2]]);
    });
  });
}

async function appendWithRetry(store: EventStore, name: string): Promise<string> {
  const id = randomUUID();
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const events = await store.readStream(name, { maxCount: 1000 });
    const expected = events.length === 0 ? 'no_stream' : events.length - 1;
    try {
      await store.append(name, [newEvent('Retry', {}, id)], expected);
      return id;
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    }
  }
  throw new Error('appendWithRetry gave up');
}

/**
 * Reads the global log until `count` events after `after` are visible. The log may hide
 * committed events for a moment while an older transaction anywhere on the server is still
 * running (that is what keeps it gap-free), so a reader polls rather than reading once.
 */
export async function readAllAtLeast(store: EventStore, after: bigint, count: number, timeoutMs = 10_000): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  let from = after;
  while (seen.length < count) {
    const batch = await store.readAll({ after: from, maxCount: 500 });
    seen.push(...batch);
    if (batch.length > 0) from = batch[batch.length - 1]!.position;
    else if (Date.now() > deadline) break;
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return seen;
}

function isAscending(events: RecordedEvent[]): boolean {
  return events.every((event, i) => i === 0 || events[i - 1]!.position < event.position);
}

export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('waitFor timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  KurrentDBClient,
  type Position,
  type ResolvedEvent,
  START,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { type KurrentDbDouble, startKurrentDbDouble } from './index';

const collect = async (events: AsyncIterable<ResolvedEvent>) => {
  const all: ResolvedEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
};
const stream = (prefix = 'test') => `${prefix}-${randomUUID()}`;
const deposit = (amount: number, metadata?: Record<string, string>) => jsonEvent({ type: 'Deposited', data: { amount }, metadata });
const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('KurrentDB double, driven by the official client', () => {
  let double: KurrentDbDouble;
  let client: KurrentDBClient;

  beforeAll(async () => {
    double = await startKurrentDbDouble();
    client = KurrentDBClient.connectionString`${double.connectionString}`;
  });

  afterAll(async () => {
    await client.dispose();
    await double.stop();
  });

  describe('appendToStream (v1 Append)', () => {
    it('appends events that read back with data, metadata, type, revisions and created time', async () => {
      const name = stream();
      const before = Date.now();
      const result = await client.appendToStream(name, [deposit(10, { by: 'alice' }), deposit(20)], { streamState: 'no_stream' });
      const after = Date.now();

      expect(result.nextExpectedRevision).toBe(1n);
      const events = await collect(client.readStream(name));
      expect(events.map((e) => [e.event?.type, e.event?.revision, e.event?.data, e.event?.metadata])).toEqual([
        ['Deposited', 0n, { amount: 10 }, { by: 'alice' }],
        ['Deposited', 1n, { amount: 20 }, undefined],
      ]);
      expect(events.every((e) => e.event?.isJson && e.event.streamId === name)).toBe(true);
      for (const e of events) {
        expect(e.event!.created.getTime()).toBeGreaterThanOrEqual(before - 1_000);
        expect(e.event!.created.getTime()).toBeLessThanOrEqual(after);
      }
      expect(result.position).toEqual(events[1].event?.position);
    });

    it('refuses a wrong expected revision with WrongExpectedVersionError', async () => {
      const name = stream();
      await client.appendToStream(name, [deposit(1), deposit(2)]);

      const error = await rejection(client.appendToStream(name, [deposit(3)], { streamState: 5n }));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: name, expectedState: 5n, actualState: 1n });

      const noStream = await rejection(client.appendToStream(name, [deposit(3)], { streamState: 'no_stream' }));
      expect(noStream).toMatchObject({ streamName: name, expectedState: 'no_stream', actualState: 1n });
      const missing = await rejection(client.appendToStream(stream(), [deposit(3)], { streamState: 'stream_exists' }));
      expect(missing).toMatchObject({ expectedState: 'stream_exists', actualState: 'no_stream' });
      expect(await collect(client.readStream(name))).toHaveLength(2);
    });
  });

  describe('multiStreamAppend (v2 AppendSession)', () => {
    it('writes every stream, with the record properties as JSON metadata and the schema name as type', async () => {
      const [a, b] = [stream(), stream()];
      const result = await client.multiStreamAppend([
        { streamName: a, expectedState: 'no_stream', events: [deposit(1, { correlationId: 'c-1' }), deposit(2)] },
        { streamName: b, expectedState: 'any', events: [jsonEvent({ type: 'Withdrawn', data: { amount: 3 } })] },
      ]);

      expect(result.responses).toEqual([
        { streamName: a, revision: 1n },
        { streamName: b, revision: 0n },
      ]);
      const [first] = await collect(client.readStream(a));
      expect(first.event).toMatchObject({ type: 'Deposited', data: { amount: 1 }, metadata: { correlationId: 'c-1' }, isJson: true });
      const [last] = await collect(client.readStream(b));
      expect(last.event?.type).toBe('Withdrawn');
      expect(result.position).toBe(last.event?.position?.commit);
    });

    it('fails the whole session on one revision conflict, with the conflict details', async () => {
      const [fresh, existing] = [stream(), stream()];
      await client.appendToStream(existing, [deposit(1)]);
      const countBefore = double.eventCount();

      const error = await rejection(
        client.multiStreamAppend([
          { streamName: fresh, expectedState: 'no_stream', events: [deposit(1)] },
          { streamName: existing, expectedState: 3n, events: [deposit(2)] },
        ]),
      );

      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamName: existing, expectedState: 3n, actualState: 0n });
      expect(double.eventCount()).toBe(countBefore);
      await expect(collect(client.readStream(fresh))).rejects.toBeInstanceOf(StreamNotFoundError);
    });

    it('reports a missing stream as actual state no_stream', async () => {
      const name = stream();
      const error = await rejection(client.multiStreamAppend([{ streamName: name, expectedState: 0n, events: [deposit(1)] }]));
      expect(error).toMatchObject({ streamName: name, expectedState: 0n, actualState: 'no_stream' });
    });

    it('refuses the same stream twice in one session and writes nothing', async () => {
      const name = stream();
      const countBefore = double.eventCount();
      const error = await rejection(
        client.multiStreamAppend([
          { streamName: name, expectedState: 'any', events: [deposit(1)] },
          { streamName: name, expectedState: 'any', events: [deposit(2)] },
        ]),
      );
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(WrongExpectedVersionError);
      expect(double.eventCount()).toBe(countBefore);
    });
  });

  describe('idempotency by event id', () => {
    it('treats a repeated append after the same expected revision as a success that writes nothing', async () => {
      const name = stream();
      const events = [deposit(1), deposit(2)];
      const first = await client.appendToStream(name, events, { streamState: 'no_stream' });
      const countAfterFirst = double.eventCount();

      const again = await client.appendToStream(name, events, { streamState: 'no_stream' });
      const anyState = await client.appendToStream(name, events, { streamState: 'any' });

      expect(again).toEqual(first);
      expect(anyState).toEqual(first);
      expect(double.eventCount()).toBe(countAfterFirst);
      expect(await collect(client.readStream(name))).toHaveLength(2);
    });

    it('refuses other events after the same expected revision', async () => {
      const name = stream();
      await client.appendToStream(name, [deposit(1)], { streamState: 'no_stream' });
      const error = await rejection(client.appendToStream(name, [deposit(1)], { streamState: 'no_stream' }));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
    });

    it('repeats a multi-stream append idempotently, but lets the same event id go to another stream', async () => {
      const [a, b] = [stream(), stream()];
      const event = deposit(5);
      const first = await client.multiStreamAppend([{ streamName: a, expectedState: 'no_stream', events: [event] }]);
      const again = await client.multiStreamAppend([{ streamName: a, expectedState: 'no_stream', events: [event] }]);
      expect(again).toEqual(first);

      await client.appendToStream(b, [event], { streamState: 'no_stream' });
      const [copy] = await collect(client.readStream(b));
      expect(copy.event?.id).toBe(event.id);
    });
  });

  describe('readStream and readAll (v1 Read through the Rust bridge)', () => {
    it('reads a stream forwards and backwards, from a revision, bounded by count', async () => {
      const name = stream();
      await client.appendToStream(name, [1, 2, 3, 4].map((n) => deposit(n)));
      const revisions = async (options: Parameters<KurrentDBClient['readStream']>[1]) =>
        (await collect(client.readStream(name, options))).map((e) => e.event?.revision);

      expect(await revisions({ fromRevision: 1n, maxCount: 2 })).toEqual([1n, 2n]);
      expect(await revisions({ direction: BACKWARDS, fromRevision: END })).toEqual([3n, 2n, 1n, 0n]);
      expect(await revisions({ direction: BACKWARDS, fromRevision: 2n, maxCount: 2 })).toEqual([2n, 1n]);
      expect(await revisions({ fromRevision: 9n })).toEqual([]);
    });

    it('answers a missing stream so that the client throws StreamNotFoundError', async () => {
      const name = stream();
      const error = await rejection(collect(client.readStream(name)));
      expect(error).toBeInstanceOf(StreamNotFoundError);
      expect(error).toMatchObject({ streamName: name });
    });

    it('reads $all forwards from the system events, and backwards in the reverse order', async () => {
      await client.appendToStream(stream(), [deposit(1)]);
      const forwards = await collect(client.readAll());
      const backwards = await collect(client.readAll({ direction: BACKWARDS, fromPosition: END }));

      expect(forwards[0].event?.type).toBe('$epoch-information');
      expect(forwards[0].event?.streamId).toBe('$epochs');
      expect(backwards.map((e) => e.event?.id)).toEqual(forwards.map((e) => e.event?.id).reverse());
    });

    it('reads $all from a position inclusively forwards, and before it backwards', async () => {
      const name = stream();
      await client.appendToStream(name, [deposit(1), deposit(2), deposit(3)]);
      const [, second] = await collect(client.readStream(name));
      const position = second.event!.position!;

      const forwards = await collect(client.readAll({ fromPosition: position, maxCount: 2 }));
      const backwards = await collect(client.readAll({ fromPosition: position, direction: BACKWARDS, maxCount: 1 }));

      expect(forwards.map((e) => e.event?.data)).toEqual([{ amount: 2 }, { amount: 3 }]);
      expect(backwards.map((e) => e.event?.data)).toEqual([{ amount: 1 }]);
    });

    it('keeps positions strictly increasing, with gaps, and commit equal to prepare', async () => {
      await client.appendToStream(stream(), [deposit(1), deposit(2)]);
      const positions = (await collect(client.readAll())).map((e) => e.event!.position!);
      for (const [i, position] of positions.entries()) {
        expect(position.commit).toBe(position.prepare);
        if (i > 0) expect(position.commit - positions[i - 1].commit).toBeGreaterThan(1n);
      }
    });

    it('filters $all on the server: without system events, by stream name prefix or regex, by event type', async () => {
      const prefix = `filter${randomUUID().slice(0, 8)}`;
      await client.appendToStream(`${prefix}-a`, [deposit(1)]);
      await client.appendToStream(`${prefix}-b`, [jsonEvent({ type: 'Withdrawn', data: {} })]);
      const streams = async (filter: Parameters<KurrentDBClient['readAll']>[0]) =>
        (await collect(client.readAll(filter))).map((e) => e.event!);

      const user = await streams({ filter: excludeSystemEvents() });
      expect(user.length).toBe(double.eventCount());
      expect(user.some((e) => e.type.startsWith('$') || e.streamId.startsWith('$'))).toBe(false);
      expect((await streams({ filter: streamNameFilter({ prefixes: [prefix] }) })).map((e) => e.streamId)).toEqual([
        `${prefix}-a`,
        `${prefix}-b`,
      ]);
      expect((await streams({ filter: streamNameFilter({ regex: `^${prefix}-b$` }) })).map((e) => e.type)).toEqual(['Withdrawn']);
      const withdrawn = await streams({ filter: eventTypeFilter({ prefixes: ['Withdrawn'] }), direction: BACKWARDS, fromPosition: END, maxCount: 1 });
      expect(withdrawn.map((e) => e.streamId)).toEqual([`${prefix}-b`]);
    });
  });

  describe('concurrency', () => {
    it('lets exactly one of 20 concurrent appenders win each expected revision', async () => {
      const name = stream();
      const winners = new Map<bigint, number>();
      const appender = async (worker: number) => {
        for (;;) {
          const last = await collect(client.readStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })).catch(() => []);
          const expected = last.length === 0 ? ('no_stream' as const) : last[0].event!.revision;
          try {
            await client.appendToStream(name, [jsonEvent({ type: 'Claimed', data: { worker } })], { streamState: expected });
            const revision = expected === 'no_stream' ? 0n : expected + 1n;
            winners.set(revision, (winners.get(revision) ?? 0) + 1);
            return;
          } catch (error) {
            if (!(error instanceof WrongExpectedVersionError)) throw error;
          }
        }
      };

      await Promise.all(Array.from({ length: 20 }, (_, worker) => appender(worker)));

      const events = await collect(client.readStream(name));
      expect(events.map((e) => e.event?.revision)).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i)));
      expect(new Set(events.map((e) => (e.event?.data as { worker: number }).worker)).size).toBe(20);
      expect([...winners.values()].every((count) => count === 1)).toBe(true);
      expect(winners.size).toBe(20);
    });
  });
});

describe('KurrentDB double: subscriptions to $all', () => {
  let double: KurrentDbDouble;
  let client: KurrentDBClient;

  beforeEach(async () => {
    double = await startKurrentDbDouble();
    client = KurrentDBClient.connectionString`${double.connectionString}`;
  });

  afterEach(async () => {
    await client.dispose();
    await double.stop();
  });

  it('catches up, reports caughtUp, follows live appends in order, and stops on cancel', async () => {
    const name = stream();
    await client.appendToStream(name, [deposit(1), deposit(2)]);
    const subscription = client.subscribeToAll({ fromPosition: START });
    const caughtUp = new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));
    const seen: ResolvedEvent[] = [];
    let live = false;

    for await (const event of subscription) {
      seen.push(event);
      if (event.event?.streamId === name && event.event.revision === 1n) {
        await caughtUp;
        live = true;
        await client.appendToStream(name, [deposit(3), deposit(4)]);
      }
      if (event.event?.streamId === name && event.event.revision === 3n) break;
    }
    await subscription.unsubscribe();

    expect(live).toBe(true);
    expect(seen[0].event?.type).toBe('$epoch-information');
    expect(seen.filter((e) => e.event?.streamId === name).map((e) => e.event?.data)).toEqual([1, 2, 3, 4].map((amount) => ({ amount })));
    const positions = seen.map((e) => e.event!.position!.commit);
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(positions).size).toBe(positions.length);
    const all = await collect(client.readAll());
    expect(seen.map((e) => e.event?.id)).toEqual(all.map((e) => e.event?.id));
  });

  it('subscribes from a position exclusively', async () => {
    const name = stream();
    await client.appendToStream(name, [deposit(1), deposit(2), deposit(3)]);
    const [first] = await collect(client.readStream(name));
    const subscription = client.subscribeToAll({ fromPosition: first.event!.position! });
    const received: unknown[] = [];
    for await (const event of subscription) {
      received.push(event.event?.data);
      if (received.length === 2) break;
    }
    await subscription.unsubscribe();
    expect(received).toEqual([{ amount: 2 }, { amount: 3 }]);
  });

  it('sends checkpoints on a filtered subscription, during catch-up and live', async () => {
    const name = stream();
    await client.appendToStream(name, [deposit(1), deposit(2), deposit(3)]);
    const checkpoints: Position[] = [];
    let caughtUpAfter = -1;
    const subscription = client.subscribeToAll({
      fromPosition: START,
      filter: excludeSystemEvents({
        maxSearchWindow: 2,
        checkpointInterval: 1,
        checkpointReached: (_subscription, position) => {
          checkpoints.push(position);
        },
      }),
    });
    subscription.once('caughtUp', () => (caughtUpAfter = checkpoints.length));
    const received: ResolvedEvent[] = [];
    for await (const event of subscription) {
      received.push(event);
      if (received.length === 3) await client.appendToStream(name, [deposit(4), deposit(5)]);
      if (received.length === 5) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    await subscription.unsubscribe();

    expect(received.map((e) => e.event?.streamId)).toEqual(Array(5).fill(name));
    expect(caughtUpAfter).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < checkpoints.length; i++) {
      expect(checkpoints[i].commit > checkpoints[i - 1].commit || checkpoints[i].prepare > checkpoints[i - 1].prepare).toBe(true);
    }
    expect(checkpoints[caughtUpAfter - 1]).toEqual(received[2].event?.position);
    expect(checkpoints.at(-1)).toEqual(received[4].event?.position);
  });

  it('ends open subscriptions when the double stops', async () => {
    const subscription = client.subscribeToAll({ fromPosition: END });
    const ended = new Promise<string>((resolve) => {
      subscription.on('end', () => resolve('end'));
      subscription.on('error', () => resolve('error'));
      subscription.resume();
    });
    await new Promise<void>((resolve) => subscription.once('caughtUp', () => resolve()));

    await double.stop();

    await expect(ended).resolves.toBe('end');
  });
});

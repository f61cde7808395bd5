import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@wallet/config';
import { EVENT_STORE, type EventFilter, type EventStore, type RecordedEvent } from '@wallet/event-store';
import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import { UnavailableError } from '../http/unavailable.error';
import { toFeedItem } from './feed-item.presenter';

const HEARTBEAT_MS = 15_000;
const BATCH_SIZE = 200;
/**
 * The name of the one event the stream sends under a name of its own. Feed items go as the
 * default `message` event (their `type` is in the data), so `EventSource.onmessage` gets
 * every one; this name must not be `error`, which EventSource keeps for its own failures.
 */
export const STREAM_FAILED_EVENT = 'stream-failed';

/** Narrows a batch to what the caller may see. */
type Selection = (events: RecordedEvent[]) => Promise<RecordedEvent[]>;

/**
 * Server-Sent Events of the log: catch-up then live from one reader (no seam), each event's
 * SSE id its position and its data the feed item. A slow consumer is throttled by its socket: the next batch is read
 * only once the last one was written out, so at most one batch per stream is in memory.
 * Streams are capped in number and ended cleanly when the application shuts down.
 */
@Injectable()
export class EventStreams implements BeforeApplicationShutdown {
  /** Each open stream, with the API key that opened it. */
  private readonly open = new Map<AbortController, string>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Throws 429 when a cap (all streams, or this key's) is reached; call before taking over the response. */
  reserve(keyId: string): AbortController {
    const { FEED_STREAMS_MAX: max, FEED_STREAMS_PER_KEY_MAX: perKeyMax } = this.config;
    if (this.open.size >= max) throw streamsCapped(`At most ${max} event streams may be open at once.`);
    if ([...this.open.values()].filter((opener) => opener === keyId).length >= perKeyMax) {
      throw streamsCapped(`One API key may hold at most ${perKeyMax} event streams open at once.`);
    }
    const controller = new AbortController();
    this.open.set(controller, keyId);
    return controller;
  }

  /** `select` narrows each batch (an owner-scoped key's view); without it every event is sent. */
  async serve(response: ServerResponse, after: bigint, filter: EventFilter | undefined, controller: AbortController, select?: Selection): Promise<void> {
    const { signal } = controller;
    response.once('close', () => controller.abort());
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    response.write(': connected\n\n');
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), HEARTBEAT_MS);
    try {
      for await (const read of this.store.subscribeAll({ after, batchSizeMax: BATCH_SIZE, ...(filter ? { filter } : {}), signal })) {
        const batch = select ? await select(read) : read;
        if (signal.aborted) break;
        if (batch.length === 0) continue;
        const chunk = batch.map((event) => `id: ${event.position}\ndata: ${JSON.stringify(toFeedItem(event))}\n\n`).join('');
        // A client gone before the write will never drain, and its abort has already fired.
        if (!response.write(chunk) && !signal.aborted) await Promise.race([once(response, 'drain'), once(signal, 'abort')]);
        if (signal.aborted) break;
      }
    } catch (error) {
      if (!signal.aborted) response.write(`event: ${STREAM_FAILED_EVENT}\ndata: ${JSON.stringify({ code: 'STREAM_FAILED', detail: 'The stream failed; reconnect with Last-Event-ID.' })}\n\n`);
      if (!signal.aborted) throw error;
    } finally {
      clearInterval(heartbeat);
      this.open.delete(controller);
      response.end();
    }
  }

  beforeApplicationShutdown(): void {
    for (const controller of this.open.keys()) controller.abort();
  }
}

function streamsCapped(detail: string): UnavailableError {
  return new UnavailableError('RATE_LIMITED', detail, { 'retry-after': '5' }, 429);
}

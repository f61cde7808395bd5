import { EventSource } from 'eventsource';
import type { FeedItem, operations } from '../api/client';

type StreamQuery = NonNullable<operations['EventsController_stream']['parameters']['query']>;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

interface Handlers {
  readonly onItem: (item: FeedItem) => void;
  readonly onState: (state: StreamState, detail?: string) => void;
}

/**
 * GET /v1/events/stream, the API's Server-Sent Events. The browser's EventSource cannot send
 * headers, and the key must not go in the URL; the `eventsource` package takes a fetch of our
 * own, which adds the Authorization header. It resumes with Last-Event-ID after a drop.
 */
export function openEventStream(key: string, query: StreamQuery, handlers: Handlers): () => void {
  const url = new URL('/v1/events/stream', window.location.origin);
  for (const [name, value] of Object.entries(query)) if (value) url.searchParams.set(name, value);
  handlers.onState('connecting');
  const source = new EventSource(url, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${key}` } }),
  });
  source.onopen = () => handlers.onState('live');
  source.onmessage = (event) => handlers.onItem(JSON.parse(event.data) as FeedItem);
  source.addEventListener('stream-failed', (event) => handlers.onState('reconnecting', (JSON.parse(event.data) as { detail?: string }).detail));
  source.onerror = (event) => handlers.onState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting', event.message);
  return () => source.close();
}

import { assertDocumented, fetchedHeader } from './contract';
import { withAuthorization } from './http';

export interface SseEvent {
  readonly id: string;
  /** The SSE event name: `message` (the default) unless the block names another. */
  readonly event: string;
  readonly data: any;
}

/**
 * Reads a text/event-stream over real HTTP until `stop` says so (or `maxEvents` arrive), then
 * disconnects. Comments (heartbeats) are counted apart. The answer's status and headers (and
 * a refusal's body) are checked against the OpenAPI document.
 */
export async function readSse(
  url: string,
  options: { headers?: Record<string, string>; stop: (events: SseEvent[]) => boolean; timeoutMs?: number },
): Promise<{ status: number; events: SseEvent[]; comments: number }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 15_000);
  const events: SseEvent[] = [];
  let comments = 0;
  const response = await fetch(url, { headers: withAuthorization(options.headers), signal: controller.signal });
  const { origin, pathname, search } = new URL(url);
  const streaming = response.status === 200;
  const text = streaming ? undefined : await response.text();
  try {
    await assertDocumented(origin, { method: 'GET', target: `${pathname}${search}`, status: response.status, header: fetchedHeader(response.headers), text });
  } catch (error) {
    clearTimeout(timer);
    controller.abort();
    throw error;
  }
  if (!streaming) {
    clearTimeout(timer);
    return { status: response.status, events, comments };
  }
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    while (!options.stop(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) comments += 1;
        else events.push(parseBlock(block));
        if (options.stop(events)) break;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { status: 200, events, comments };
}

function parseBlock(block: string): SseEvent {
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
  }
  return { id: fields.get('id') ?? '', event: fields.get('event') ?? 'message', data: JSON.parse(fields.get('data') ?? 'null') };
}

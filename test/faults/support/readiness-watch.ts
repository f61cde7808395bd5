/** One answer of /health/ready: when it was asked (ms since the watch began), what came back, how long it took. */
export interface ReadySample {
  readonly atMs: number;
  readonly status: number | 'no answer';
  readonly code?: string;
  readonly tookMs: number;
}

export interface ReadinessWatch {
  readonly samples: ReadySample[];
  stop(): Promise<ReadySample[]>;
}

/** Asks /health/ready every `everyMs` until stopped, one request at a time, each given up after 5 s. */
export function watchReadiness(baseUrl: () => string, everyMs = 250): ReadinessWatch {
  const samples: ReadySample[] = [];
  const began = Date.now();
  let stopped = false;
  const running = (async () => {
    while (!stopped) {
      samples.push(await askReady(baseUrl(), began));
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    samples,
    stop: async () => {
      stopped = true;
      await running;
      return samples;
    },
  };
}

/** One request to /health/ready, timed. */
export async function askReady(baseUrl: string, since = Date.now()): Promise<ReadySample> {
  const start = Date.now();
  try {
    const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json().catch(() => ({}))) as { code?: string };
    return { atMs: start - since, status: response.status, code: body.code, tookMs: Date.now() - start };
  } catch {
    return { atMs: start - since, status: 'no answer', tookMs: Date.now() - start };
  }
}

/** Polls until /health/ready answers 200, or throws after `timeoutMs` with the last answer. */
export async function untilReady(baseUrl: string, timeoutMs: number): Promise<number> {
  const start = Date.now();
  let last: ReadySample | undefined;
  while (Date.now() - start < timeoutMs) {
    last = await askReady(baseUrl);
    if (last.status === 200) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`/health/ready did not answer 200 within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

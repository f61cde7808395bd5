/** The in-flight gauge of /metrics: requests admitted and not answered yet. */
export async function inFlight(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return Number(/^http_requests_in_flight (\d+)$/m.exec(text)![1]);
}

/** Waits (5 s at most) until exactly `count` requests are in flight, and fails the spec otherwise. */
export async function untilInFlight(baseUrl: string, count: number): Promise<void> {
  for (let tries = 0; tries < 100 && (await inFlight(baseUrl)) !== count; tries += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(await inFlight(baseUrl)).toBe(count);
}

/**
 * Reads until `done` holds or 10 s have passed, and returns the last read: for what becomes
 * visible a moment after a command answers (the feed shows an event once no older transaction
 * is still in progress).
 */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

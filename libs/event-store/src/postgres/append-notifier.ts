import { Client, type ClientConfig } from 'pg';

export const APPEND_CHANNEL = 'event_store_appended';

/** Least time between two NOTIFYs of one process: bounds how late another process hears of an append. */
const ANNOUNCE_GAP_MS = 20;

/**
 * Wakes subscribers when events are appended (LISTEN/NOTIFY). A wake-up is only a hint to
 * read again: the log and each reader's position are the truth, so a lost notification
 * costs one poll interval, never an event.
 */
export class AppendNotifier {
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly waiters = new Set<() => void>();
  /** Counts notifications, so a reader can tell whether one came while it was reading. */
  private generation = 0;
  private announcing = false;
  private announceAgain = false;

  constructor(
    private readonly config: ClientConfig,
    private readonly onError: (error: Error) => void,
  ) {}

  /** The current notification count; pass it to waitForAppend after reading. */
  get currentGeneration(): number {
    return this.generation;
  }

  /**
   * Resolves once an append is notified after `sinceGeneration` (at once if one already
   * was), after `timeoutMs`, or when the signal aborts.
   */
  async waitForAppend(sinceGeneration: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    await this.ensureListening().catch((error: Error) => this.onError(error));
    if (signal.aborted || this.generation !== sinceGeneration) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  /**
   * Tells readers here at once, and readers of other processes with a NOTIFY sent by `send`:
   * at most one NOTIFY in flight and one per ANNOUNCE_GAP_MS, so that under load the
   * appends of that time share one.
   */
  announce(send: () => Promise<unknown>): void {
    this.wake();
    if (this.announcing) {
      this.announceAgain = true;
      return;
    }
    this.announcing = true;
    void send()
      .catch((error: Error) => this.onError(error))
      .then(() => new Promise((resolve) => setTimeout(resolve, ANNOUNCE_GAP_MS).unref()))
      .finally(() => {
        this.announcing = false;
        if (!this.announceAgain) return;
        this.announceAgain = false;
        this.announce(send);
      });
  }

  async close(): Promise<void> {
    for (const wake of [...this.waiters]) wake();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private wake(): void {
    this.generation += 1;
    for (const wake of [...this.waiters]) wake();
  }

  private ensureListening(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.listen().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async listen(): Promise<void> {
    const client = new Client(this.config);
    client.on('notification', () => this.wake());
    client.on('error', (error) => {
      this.onError(error);
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
    });
    await client.connect();
    await client.query(`listen ${APPEND_CHANNEL}`);
    this.client = client;
    // Appends made while LISTEN was being set up were not notified: count it as a wake-up.
    this.generation += 1;
  }
}

import { setMaxListeners } from 'node:events';
import { type DeliveryDeps, deliverEndpoint } from './endpoint-delivery';

export interface DispatcherOptions {
  /** Most outgoing requests of this process at once, over all endpoints (each endpoint has at most one). */
  readonly concurrencyMax: number;
  /** Pause between looks for due endpoints. */
  readonly pollMs: number;
  readonly log: (message: string) => void;
}

/**
 * Finds due endpoints, takes their leases and delivers each on its own, never more than
 * `concurrencyMax` at once. Stopping aborts the requests in flight and lets go of the leases,
 * so another process takes over at once; a killed process's leases lapse after WEBHOOK_LEASE_MS.
 */
export class WebhookDispatcher {
  private readonly active = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: DeliveryDeps,
    private readonly options: DispatcherOptions,
  ) {}

  /** Set when an endpoint came back with batches still due: the next pause is skipped or cut short. */
  private due = false;
  private endPause: () => void = () => undefined;

  async run(signal: AbortSignal): Promise<void> {
    // Every request in flight listens to the signal (to stop with it), and the pause does too.
    setMaxListeners(this.options.concurrencyMax + 10, signal);
    while (!signal.aborted) {
      await this.claim(signal).catch((error: unknown) => this.options.log(`webhook delivery could not claim endpoints: ${message(error)}`));
      await this.pause(signal);
    }
    await Promise.all(this.active.values());
  }

  private async pause(signal: AbortSignal): Promise<void> {
    if (!this.due && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const end = (): void => {
          clearTimeout(timer);
          signal.removeEventListener('abort', end);
          resolve();
        };
        const timer = setTimeout(end, this.options.pollMs);
        signal.addEventListener('abort', end, { once: true });
        this.endPause = end;
      });
    }
    this.due = false;
  }

  private wake(): void {
    this.due = true;
    this.endPause();
  }

  private async claim(signal: AbortSignal): Promise<void> {
    const free = this.options.concurrencyMax - this.active.size;
    if (free <= 0) return;
    const head = await this.deps.store.headPosition();
    const claimed = await this.deps.deliveries.claimDue(free, this.deps.settings.leaseMs, head);
    for (const endpoint of claimed) {
      // Its lease lapsed while this process still delivers it (a stall longer than the lease): the
      // delivery under way goes on under the lease just renewed; a second one would send the batch twice at once.
      if (this.active.has(endpoint.id)) continue;
      let more = false;
      const work = deliverEndpoint(this.deps, endpoint, signal)
        .then(
          (due) => void (more = due),
          (error: unknown) => this.options.log(`webhook endpoint ${endpoint.id}: delivery interrupted: ${message(error)}`),
        )
        .then(() => this.deps.deliveries.release(endpoint.id))
        .catch((error: unknown) => this.options.log(`webhook endpoint ${endpoint.id}: lease not released (it lapses): ${message(error)}`))
        .finally(() => {
          this.active.delete(endpoint.id);
          if (more) this.wake();
        });
      this.active.set(endpoint.id, work);
    }
  }
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

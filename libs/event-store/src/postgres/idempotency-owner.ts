import { randomInt } from 'node:crypto';
import { Client, type ClientConfig } from 'pg';

/**
 * The first key of an owner's two-key advisory lock. Every other advisory lock of the
 * service takes one bigint key (objsubid 1 in pg_locks); two int4 keys are objsubid 2, so
 * an owner never meets them.
 */
export const OWNER_LOCK_CLASS = 1_769_170_001;

/** Pause before connecting again after the connection failed or could not be made. */
const RECONNECT_MS = 250;

/** The owner id the claims of this process are made under, if it holds one right now. */
export interface IdempotencyOwnerId {
  readonly id: number | undefined;
}

/**
 * This API process as the holder of its Idempotency-Key claims: a session advisory lock
 * (OWNER_LOCK_CLASS, id) held on a connection of its own for as long as the process lives.
 * A claim records the id; a retry finding an `in_progress` claim whose owner's lock is not
 * granted knows the request behind it is dead (its process was killed, or the database
 * restarted under it) and takes the key over at once.
 *
 * The id is new each time the connection is made: a connection lost means the lock is gone,
 * and the claims made before count as dead even if this process goes on. A request that is
 * still running then loses its key at its append (the append checks the claim's token) and
 * answers 409, which is safe. While the connection is down, `id` is undefined and claims are
 * made without an owner: only their lease frees them.
 */
export class IdempotencyOwner implements IdempotencyOwnerId {
  private held: { readonly client: Client; readonly id: number } | undefined;
  private connecting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly config: ClientConfig,
    private readonly log: (message: string) => void,
  ) {}

  /** Connects and takes an owner id; should that fail, it keeps trying in the background. */
  static async start(config: ClientConfig, log: (message: string) => void): Promise<IdempotencyOwner> {
    const owner = new IdempotencyOwner(config, log);
    await owner.connect();
    return owner;
  }

  get id(): number | undefined {
    return this.held?.id;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.connecting;
    const held = this.held;
    this.held = undefined;
    await held?.client.end().catch(() => undefined);
  }

  private connect(): Promise<void> {
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<void> {
    if (this.closed) return;
    const client = new Client(this.config);
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      // No server timeout may end this idle session: its end would kill every claim of the process.
      await client.query('set idle_session_timeout = 0; set statement_timeout = 0');
      const id = await lockFreshId(client);
      if (this.closed) throw new Error('closed');
      this.held = { client, id };
    } catch (error) {
      client.removeAllListeners('end');
      void client.end().catch(() => undefined);
      if (!this.closed) {
        this.log(`Idempotency owner lock not taken (${(error as Error).message}); trying again`);
        this.later();
      }
    }
  }

  private lost(client: Client): void {
    if (this.held?.client !== client) return;
    this.held = undefined;
    // On a half-open socket the old session, and its lock, could outlive the new owner id.
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.log('Idempotency owner connection lost: claims made before it count as dead; taking a new owner id');
    this.later();
  }

  private later(): void {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.connect(), RECONNECT_MS).unref();
  }
}

/** A random positive int4 that no live process holds, locked for this session. */
async function lockFreshId(client: Client): Promise<number> {
  for (;;) {
    const id = randomInt(1, 2 ** 31 - 1);
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1, $2) as locked', [OWNER_LOCK_CLASS, id]);
    if (rows[0]!.locked) return id;
  }
}

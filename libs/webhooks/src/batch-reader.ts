import { isWalletStream, walletIdOfStream, walletStream } from '@wallet/domain';
import type { EventFilter, EventStore, RecordedEvent } from '@wallet/event-store';
import { READ_MODEL_PROJECTION, walletsHeldBy } from '@wallet/read-model';
import type { Pool } from 'pg';
import type { LeasedEndpoint } from './delivery-store';

/** Events in one delivery, as the API contract promises. */
export const BATCH_EVENTS_MAX = 100;
/** Most events looked at per read for a sparse filter: bounds one read's work. */
const SCAN_MAX = 10_000;

export interface ReadBatch {
  readonly events: RecordedEvent[];
  /** Where the cursor goes once these events are delivered (or at once, when there are none). */
  readonly nextAfter: bigint;
}

/**
 * The next events an endpoint is due, read through the event-store port after its cursor:
 * the endpoint's types and wallet, and for an endpoint an owner-scoped key created, only the
 * events of wallets that owner holds (the feed's rule). Ownership comes from the read model,
 * so such an endpoint is read only up to the read model's checkpoint: an event of a wallet
 * opened a moment ago is never dropped for being newer than what the read model knows.
 */
export async function readBatch(store: EventStore, pool: Pool, endpoint: LeasedEndpoint): Promise<ReadBatch> {
  const after = endpoint.deliveredThrough;
  const filter: EventFilter = { ...(endpoint.walletId ? { stream: walletStream(endpoint.walletId) } : {}), ...(endpoint.types ? { types: endpoint.types } : {}) };
  const page = await readPage(store, after, filter);
  if (!endpoint.owner) return page;
  const known = await readModelPosition(pool);
  const nextAfter = page.nextAfter < known ? page.nextAfter : known > after ? known : after;
  const candidates = page.events.filter((event) => event.position <= nextAfter && isWalletStream(event.stream));
  const held = await walletsHeldBy(pool, [...new Set(candidates.map((event) => walletIdOfStream(event.stream)))], endpoint.owner);
  return { events: candidates.filter((event) => held.has(walletIdOfStream(event.stream))), nextAfter };
}

/** Without a filter, a plain read of the log: cheaper than a filtered one that passes everything. */
async function readPage(store: EventStore, after: bigint, filter: EventFilter): Promise<ReadBatch> {
  if (filter.stream === undefined && filter.types === undefined) {
    const events = await store.readAll({ after, maxCount: BATCH_EVENTS_MAX });
    return { events, nextAfter: events.length > 0 ? events[events.length - 1]!.position : after };
  }
  return store.readFiltered({ after, maxCount: BATCH_EVENTS_MAX, filter, scanMax: SCAN_MAX });
}

async function readModelPosition(pool: Pool): Promise<bigint> {
  const { rows } = await pool.query<{ position: string }>('select position from read_model.projection_checkpoints where name = $1', [READ_MODEL_PROJECTION]);
  return BigInt(rows[0]?.position ?? '0');
}

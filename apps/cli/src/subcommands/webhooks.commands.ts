import { parseMinor } from '@wallet/domain';
import { Command, InvalidArgumentError } from 'commander';
import { type WebhookEndpoint, WebhookEndpointStore, lagEvents } from '@wallet/webhooks';
import { withDatabase } from '../cli-database';
import { formatTable } from '../table';

const LIST_LIMIT_MAX = 10_000;
/** Endpoints read per query while listing: the list is read in pages of this size. */
const PAGE_SIZE = 1_000;

/**
 * `webhooks list`, `replay`, `disable` and `enable`: webhook endpoints, managed from the operator's
 * shell. The operator is bound to no owner, so every endpoint is in reach, whoever created it.
 */
export function webhooksCommand(): Command {
  const webhooks = new Command('webhooks').description('List webhook endpoints and where their delivery stands; replay, disable or enable one.');
  webhooks
    .command('list')
    .description('Endpoints in creation order: id, url, status, cursor (deliveredThrough), lag behind the log head, last error, failing since.')
    .option('--limit <count>', `at most this many (up to ${LIST_LIMIT_MAX})`, parseCount, 1_000)
    .option('--json', 'print a JSON array')
    .action(async (options: { limit: number; json?: boolean }) => {
      const { endpoints, head } = await withDatabase(async ({ pool, store }) => {
        const found = await listAll(new WebhookEndpointStore(pool), Math.min(options.limit, LIST_LIMIT_MAX));
        return { endpoints: found, head: await store.headPosition() };
      });
      const views = endpoints.map((endpoint) => presentEndpoint(endpoint, head));
      process.stdout.write(options.json ? `${JSON.stringify(views)}\n` : views.length === 0 ? 'No webhook endpoints.\n' : formatEndpoints(views));
    });
  webhooks
    .command('replay')
    .description('Move an endpoint\'s cursor: delivery goes on with the first event after --after (back to deliver again, forward to skip).')
    .argument('<endpointId>', 'the id `webhooks list` shows')
    .requiredOption('--after <position>', 'the position the cursor moves to; 0 replays the whole log', parsePosition)
    .action(async (endpointId: string, options: { after: bigint }) => {
      const id = parseEndpointId(endpointId);
      const endpoint = await withDatabase(({ pool }) => new WebhookEndpointStore(pool).replay(id, undefined, options.after));
      if (!endpoint) throw new Error(`No webhook endpoint has the id ${endpointId}.`);
      const note = endpoint.status === 'disabled' ? ' It is disabled: enable it for delivery to resume.' : '';
      process.stdout.write(`Replaying ${endpoint.id} (${endpoint.url}) from the first event after position ${endpoint.deliveredThrough}.${note}\n`);
    });
  webhooks
    .command('disable')
    .description('Stop delivering to an endpoint; its cursor stays where it is.')
    .argument('<endpointId>', 'the id `webhooks list` shows')
    .option('--reason <text>', 'shown with the endpoint', 'disabled by the operator')
    .action(async (endpointId: string, options: { reason: string }) => {
      const id = parseEndpointId(endpointId);
      const endpoint = await withDatabase(({ pool }) => new WebhookEndpointStore(pool).disable(id, undefined, options.reason));
      if (!endpoint) throw new Error(`No webhook endpoint has the id ${endpointId}.`);
      process.stdout.write(`Disabled ${endpoint.id} (${endpoint.url}); its cursor stays at ${endpoint.deliveredThrough}.\n`);
    });
  webhooks
    .command('enable')
    .description('Resume delivering to an endpoint from its cursor, at once and with a fresh retry schedule.')
    .argument('<endpointId>', 'the id `webhooks list` shows')
    .action(async (endpointId: string) => {
      const id = parseEndpointId(endpointId);
      const endpoint = await withDatabase(({ pool }) => new WebhookEndpointStore(pool).enable(id, undefined));
      if (!endpoint) throw new Error(`No webhook endpoint has the id ${endpointId}.`);
      process.stdout.write(`Enabled ${endpoint.id} (${endpoint.url}); delivery resumes after position ${endpoint.deliveredThrough}.\n`);
    });
  return webhooks;
}

interface EndpointView {
  readonly id: string;
  readonly url: string;
  readonly status: string;
  readonly deliveredThrough: string;
  /** Positions between the cursor and the log head: an upper bound of the events still due. */
  readonly lag: string;
  readonly lastError: string | null;
  readonly failingSince: string | null;
  readonly disabledReason: string | null;
}

async function listAll(store: WebhookEndpointStore, limit: number): Promise<WebhookEndpoint[]> {
  const endpoints: WebhookEndpoint[] = [];
  // Bounded: each turn adds a full page or ends the list.
  for (let page = 0; page < Math.ceil(limit / PAGE_SIZE); page++) {
    const cursor = endpoints[endpoints.length - 1]?.id;
    const rows = await store.list(undefined, { limit: Math.min(PAGE_SIZE, limit - endpoints.length), ...(cursor ? { cursor } : {}) });
    endpoints.push(...rows);
    if (rows.length < PAGE_SIZE) break;
  }
  return endpoints;
}

function presentEndpoint(endpoint: WebhookEndpoint, head: bigint): EndpointView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    status: endpoint.status,
    deliveredThrough: endpoint.deliveredThrough.toString(),
    lag: lagEvents(head, endpoint.deliveredThrough).toString(),
    lastError: endpoint.lastError,
    failingSince: endpoint.failingSince?.toISOString() ?? null,
    disabledReason: endpoint.disabledReason,
  };
}

function formatEndpoints(views: readonly EndpointView[]): string {
  const header = ['id', 'url', 'status', 'deliveredThrough', 'lag', 'lastError', 'failingSince'];
  const rows = views.map((view) => [view.id, view.url, view.status, view.deliveredThrough, view.lag, oneLine(view.lastError ?? '-'), view.failingSince ?? '-']);
  return formatTable(header, rows);
}

/** An error text in one table cell: no line breaks, and short enough to keep the table readable. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

function parseEndpointId(text: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) throw new Error(`"${text}" is not an endpoint id (a UUID; see webhooks list).`);
  return text.toLowerCase();
}

function parsePosition(text: string): bigint {
  if (parseMinor(text) === undefined) throw new InvalidArgumentError('Expected a position: a whole number from 0, below 2^63.');
  return BigInt(text);
}

function parseCount(text: string): number {
  if (!/^[1-9][0-9]{0,6}$/.test(text)) throw new InvalidArgumentError('Expected a whole number from 1 to 9999999.');
  return Number(text);
}

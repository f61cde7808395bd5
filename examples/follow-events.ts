/**
 * A downstream consumer of the wallet event feed: it follows GET /v1/events/stream, keeps a
 * running total of confirmed money per wallet, and survives being killed at any instant.
 *
 * Its state (the totals and the position they include) is one JSON file, replaced atomically
 * (write a temporary file, fsync, rename) after each batch. So a crash loses nothing and
 * applies nothing twice: on restart it resumes with Last-Event-ID = the stored position.
 *
 * It authenticates with the API key in WALLET_API_KEY (a key with the events:read scope is
 * enough; from the environment, so the secret stays out of the process list).
 *
 *   WALLET_API_KEY=wsk_... npx tsx examples/follow-events.ts --url http://127.0.0.1:3000 --state ./follower-state.json
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface FollowerState {
  position: string;
  /** Confirmed ledger change per wallet, in minor units (strings: exact beyond 2^53). */
  totals: Record<string, string>;
}

interface FeedEvent {
  position: string;
  streamId: string;
  type: string;
  data: { walletId?: string; amountMinor?: string; transactionType?: 'credit' | 'debit' };
}

const { values } = parseArgs({ options: { url: { type: 'string', default: 'http://127.0.0.1:3000' }, state: { type: 'string', default: './follower-state.json' } } });
const statePath = values.state!;

function load(): FollowerState {
  return existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as FollowerState) : { position: '0', totals: {} };
}

function save(state: FollowerState): void {
  const temporary = `${statePath}.tmp`;
  const fd = openSync(temporary, 'w');
  writeSync(fd, JSON.stringify(state));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temporary, statePath);
}

/** The effect of one event on the totals: confirmed credits add, confirmed debits subtract. */
function apply(state: FollowerState, event: FeedEvent): void {
  const { walletId, amountMinor, transactionType } = event.data;
  if (!walletId || !amountMinor) return;
  const sign = event.type === 'FundsCredited' || (event.type === 'HoldConfirmed' && transactionType === 'credit') ? 1n
    : event.type === 'FundsDebited' || (event.type === 'HoldConfirmed' && transactionType === 'debit') ? -1n : 0n;
  if (sign !== 0n) state.totals[walletId] = (BigInt(state.totals[walletId] ?? '0') + sign * BigInt(amountMinor)).toString();
}

async function follow(state: FollowerState): Promise<void> {
  const headers = { 'last-event-id': state.position, authorization: `Bearer ${process.env['WALLET_API_KEY'] ?? ''}` };
  const response = await fetch(`${values.url}/v1/events/stream`, { headers });
  if (!response.ok || !response.body) throw new Error(`The feed answered ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop() ?? '';
    // Comments are heartbeats; a named event (`stream-failed`) ends the stream, and the
    // reconnect below resumes from the stored position.
    const events = blocks.filter((block) => !block.startsWith(':') && !block.includes('\nevent:') && !block.startsWith('event:'))
      .map((block) => JSON.parse(block.slice(block.indexOf('data:') + 5)) as FeedEvent);
    for (const event of events) {
      // Positions only grow; one at or below the stored one was applied already.
      if (BigInt(event.position) <= BigInt(state.position)) continue;
      apply(state, event);
      state.position = event.position;
    }
    if (events.length > 0) save(state);
  }
}

async function main(): Promise<void> {
  const state = load();
  console.log(`Following ${values.url} from position ${state.position}; state in ${statePath}`);
  for (;;) {
    try {
      await follow(state);
    } catch (error) {
      console.error(`Feed interrupted (${(error as Error).message}); resuming from ${state.position} in 1 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

void main();

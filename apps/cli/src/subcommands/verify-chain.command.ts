import { InvalidArgumentError } from 'commander';
import { loadConfig } from '@wallet/config';
import { type ChainReport, verifyEventChain } from '@wallet/event-store';
import { withDatabase } from '../cli-database';
import { progressBar } from '../progress-bar';
import { formatTable } from '../table';

/** Exit code of `verify --chain` when a stream's chain is broken (as `verify` on drift). */
export const CHAIN_BROKEN_EXIT_CODE = 1;
/** Exit code of `verify --chain` on KurrentDB: there is no chain to check there. */
export const CHAIN_NOT_KEPT_EXIT_CODE = 3;

export interface VerifyChainCommandOptions {
  readonly headsAt?: bigint;
}

/** `verify --chain`: checks the PostgreSQL event log's hash chain and prints the stream heads' digest. */
export async function verifyChainCommand(options: VerifyChainCommandOptions): Promise<void> {
  if (loadConfig().EVENT_STORE !== 'postgres') {
    process.stderr.write(
      'verify --chain checks the hash chain of the PostgreSQL event store; EVENT_STORE=kurrentdb keeps no chain ' +
        '(KurrentDB never rewrites an event in place; see docs/tamper-evidence.md). Nothing was checked.\n',
    );
    process.exitCode = CHAIN_NOT_KEPT_EXIT_CODE;
    return;
  }
  const bar = progressBar('Checking the event chain');
  const report = await withDatabase(({ pool, config }) =>
    verifyEventChain({ pool, pageSize: config.PROJECTOR_BATCH_SIZE, headsAt: options.headsAt, onProgress: bar.update }),
  ).finally(() => bar.stop());
  process.stdout.write(formatChainReport(report));
  if (report.brokenCount > 0) process.exitCode = CHAIN_BROKEN_EXIT_CODE;
}

const POSITION_MAX = 2n ** 63n - 1n;

/** Parses a log position (a commander option parser). */
export function parsePosition(text: string): bigint {
  const position = /^\d{1,19}$/.test(text.trim()) ? BigInt(text.trim()) : -1n;
  if (position < 0n || position > POSITION_MAX) throw new InvalidArgumentError('Expected a log position: a whole number below 2^63.');
  return position;
}

function formatChainReport(report: ChainReport): string {
  const before = report.eventsBeforeChain > 0 ? `, ${report.eventsBeforeChain} of them written before the chain started (positions up to ${report.lastUnchainedPosition})` : '';
  const scope = `${counted(report.streams, 'stream')}, ${counted(report.events, 'event')}${before}`;
  const { heads } = report;
  const digest = `Stream heads at position ${heads.position}: ${counted(heads.streams, 'stream')}, digest ${heads.digest}\n`;
  if (report.brokenCount === 0) return `Event chain intact: ${scope}.\n${digest}`;
  const header = ['stream', 'revision', 'position', 'reason', 'detail'];
  const rows = report.broken.map((broken) => [broken.stream, String(broken.revision), broken.position.toString(), broken.reason, broken.detail]);
  const listed = report.broken.length < report.brokenCount ? ` (first ${report.broken.length} listed)` : '';
  const streams = report.brokenCount === 1 ? '1 broken stream' : `${report.brokenCount} broken streams`;
  return `${formatTable(header, rows)}${streams}${listed}, each at its first broken event: ${scope}.\n${digest}`;
}

/** "1 stream", "2 streams". */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

import { Command, InvalidArgumentError } from 'commander';
import { type DriftReport, verifyReadModel } from '@wallet/read-model';
import { withDatabase } from '../cli-database';
import { progressBar } from '../progress-bar';
import { parsePosition, verifyChainCommand } from './verify-chain.command';
import { formatTable } from '../table';

/** Exit code of `verify` when the read model drifted from the event log. */
const DRIFT_EXIT_CODE = 1;
/** Exit code of `verify` when the read model agrees with the log as far as it goes, but trails it too far (or halted). */
const BEHIND_EXIT_CODE = 4;
/** Positions the read model may trail the log's head by: a running projector is always a little behind. */
const MAX_LAG_EVENTS_DEFAULT = 1_000;

/** `verify`: folds the event log on its own and compares it with the read model; `verify --chain` checks the log's hash chain. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description(
      'Fold the event log up to the read model checkpoint and compare every wallet with the read model; exit code 1 on drift. ' +
        `Exit code 4 when the read model trails the log's head by more than --max-lag-events positions, or its projector halted. ` +
        'With --chain, check the hash chain of the PostgreSQL event log instead; exit code 1 when broken, 3 on KurrentDB.',
    )
    .option('--max-lag-events <n>', `positions the read model may trail the log's head by (default ${MAX_LAG_EVENTS_DEFAULT})`, parseCount, MAX_LAG_EVENTS_DEFAULT)
    .option('--chain', "check every stream's hash chain and name the first broken event of each; print a digest of the stream heads")
    .option('--heads-at <position>', 'with --chain: take the stream heads digest at this log position (default: the last settled position)', parsePosition)
    .action(async (options: { chain?: boolean; headsAt?: bigint; maxLagEvents: number }, command: Command) => {
      if (options.chain) return verifyChainCommand({ headsAt: options.headsAt });
      if (options.headsAt !== undefined) command.error("error: option '--heads-at' goes with '--chain'");
      const bar = progressBar('Folding events');
      const report = await withDatabase(({ pool, store, config }) =>
        verifyReadModel({ pool, store, pageSize: config.PROJECTOR_BATCH_SIZE, onProgress: bar.update }),
      ).finally(() => bar.stop());
      process.stdout.write(formatReport(report));
      const behind = behindBy(report, options.maxLagEvents);
      if (behind) process.stdout.write(behind);
      if (report.driftCount > 0) process.exitCode = DRIFT_EXIT_CODE;
      else if (behind) process.exitCode = BEHIND_EXIT_CODE;
    });
}

/**
 * No drift up to the checkpoint says nothing of the events after it: a read model stopped
 * far behind the log is no clean bill. Says why it is not, or undefined when it is.
 */
export function behindBy(report: Pick<DriftReport, 'checkpoint' | 'head' | 'failedPosition'>, maxLagEvents: number): string | undefined {
  if (report.failedPosition !== null) {
    return `The projector halted at position ${report.failedPosition}: the read model stays at ${report.checkpoint} of ${report.head}. See \`projections status\`.\n`;
  }
  const lag = report.head > report.checkpoint ? report.head - report.checkpoint : 0n;
  if (lag <= BigInt(maxLagEvents)) return undefined;
  return `The read model is behind the log: ${lag} positions after its checkpoint ${report.checkpoint} (head ${report.head}), more than --max-lag-events ${maxLagEvents}. Is the projector running? See \`projections status\`.\n`;
}

function parseCount(value: string): number {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(value)) throw new InvalidArgumentError('a whole number of positions, 0 or more');
  return Number(value);
}

function formatReport(report: DriftReport): string {
  const scope = `${report.walletsCompared} wallets and ${report.currenciesCompared} ${report.currenciesCompared === 1 ? 'currency' : 'currencies'} in the read model, ${report.eventsFolded} events up to position ${report.checkpoint} (the log's head: ${report.head})`;
  if (report.driftCount === 0) return `No drift: ${scope}.\n`;
  const wallets = report.drifts.map((drift) => [drift.walletId, drift.field, drift.expected, drift.actual]);
  const totals = report.totalsDrifts.map((drift) => [`${drift.currency} (${drift.row} at ${drift.position})`, drift.field, drift.expected, drift.actual]);
  const groups = report.groupDrifts.map((drift) => [drift.groupId, drift.field, drift.expected, drift.actual]);
  const listed = wallets.length + totals.length + groups.length;
  const tables = [
    ['wallet', wallets],
    ['totals', totals],
    ['group', groups],
  ] as const;
  const printed = tables.filter(([, rows]) => rows.length > 0).map(([subject, rows]) => formatTable([subject, 'field', 'event log', 'read model'], rows));
  return `${printed.join('\n')}${report.driftCount} drifts${listed < report.driftCount ? ` (first ${listed} listed)` : ''}: ${scope}.\n`;
}

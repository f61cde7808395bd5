import { Command } from 'commander';
import { type DriftReport, verifyReadModel } from '@wallet/read-model';
import { withDatabase } from '../cli-database';
import { progressBar } from '../progress-bar';
import { parsePosition, verifyChainCommand } from './verify-chain.command';
import { formatTable } from '../table';

/** Exit code of `verify` when the read model drifted from the event log. */
const DRIFT_EXIT_CODE = 1;

/** `verify`: folds the event log on its own and compares it with the read model; `verify --chain` checks the log's hash chain. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description(
      'Fold the event log up to the read model checkpoint and compare every wallet with the read model; exit code 1 on drift. ' +
        'With --chain, check the hash chain of the PostgreSQL event log instead; exit code 1 when broken, 3 on KurrentDB.',
    )
    .option('--chain', "check every stream's hash chain and name the first broken event of each; print a digest of the stream heads")
    .option('--heads-at <position>', 'with --chain: take the stream heads digest at this log position (default: the last settled position)', parsePosition)
    .action(async (options: { chain?: boolean; headsAt?: bigint }, command: Command) => {
      if (options.chain) return verifyChainCommand({ headsAt: options.headsAt });
      if (options.headsAt !== undefined) command.error("error: option '--heads-at' goes with '--chain'");
      const bar = progressBar('Folding events');
      const report = await withDatabase(({ pool, store, config }) =>
        verifyReadModel({ pool, store, pageSize: config.PROJECTOR_BATCH_SIZE, onProgress: bar.update }),
      ).finally(() => bar.stop());
      process.stdout.write(formatReport(report));
      if (report.driftCount > 0) process.exitCode = DRIFT_EXIT_CODE;
    });
}

function formatReport(report: DriftReport): string {
  const scope = `${report.walletsCompared} wallets in the read model, ${report.eventsFolded} events up to position ${report.checkpoint}`;
  if (report.driftCount === 0) return `No drift: ${scope}.\n`;
  const header = ['wallet', 'field', 'event log', 'read model'];
  const rows = report.drifts.map((drift) => [drift.walletId, drift.field, drift.expected, drift.actual]);
  const listed = report.drifts.length < report.driftCount ? ` (first ${report.drifts.length} listed)` : '';
  return `${formatTable(header, rows)}${report.driftCount} drifts${listed}: ${scope}.\n`;
}

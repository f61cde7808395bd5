import { Command } from 'commander';
import { type ProjectionStatus, projectionStatus, rebuildReadModel } from '@wallet/read-model';
import { withDatabase } from '../cli-database';
import { progressBar } from '../progress-bar';

/** `projections status` and `projections rebuild`. */
export function projectionsCommand(): Command {
  const projections = new Command('projections').description('Inspect or rebuild the read model projection.');
  projections
    .command('status')
    .description('Checkpoint, head of the event log, lag, and the failure the projector stopped at, if any.')
    .option('--json', 'print one JSON object')
    .action(async (options: { json?: boolean }) => {
      const status = await withDatabase(({ pool, store }) => projectionStatus(pool, store));
      process.stdout.write(options.json ? `${JSON.stringify(toJson(status))}\n` : formatStatus(status));
    });
  projections
    .command('rebuild')
    .description('Replay the whole event log into read_model_next, then swap it in for read_model while the API keeps answering.')
    .action(async () => {
      const bar = progressBar('Replaying events');
      const result = await withDatabase(({ config, pool, store, log }) =>
        rebuildReadModel({ pool, store, snapshotEvery: config.SNAPSHOT_EVERY, batchSizeMax: config.PROJECTOR_BATCH_SIZE, log, onProgress: bar.update }),
      ).finally(() => bar.stop());
      process.stdout.write(
        `Rebuilt read_model (${result.tables.length} tables) up to position ${result.checkpoint}; the projector goes on from there.\n` +
          'Archived transactions are back in read_model.transactions until the next archive run.\n',
      );
    });
  return projections;
}

function toJson(status: ProjectionStatus): Record<string, unknown> {
  return {
    checkpoint: status.checkpoint.toString(),
    checkpointUpdatedAt: status.checkpointUpdatedAt?.toISOString() ?? null,
    head: status.head.toString(),
    lagEvents: status.lagEvents.toString(),
    lagSeconds: status.lagSeconds,
    failedPosition: status.failedPosition?.toString() ?? null,
    failure: status.failure,
  };
}

function formatStatus(status: ProjectionStatus): string {
  const failure = status.failedPosition === null ? 'none' : `at position ${status.failedPosition}: ${status.failure ?? ''}`;
  const rows = [
    ['checkpoint', `${status.checkpoint}${status.checkpointUpdatedAt ? ` (moved ${status.checkpointUpdatedAt.toISOString()})` : ''}`],
    ['head', status.head.toString()],
    ['lag', `${status.lagEvents} events, ${status.lagSeconds.toFixed(1)} s`],
    ['failure', failure],
  ];
  return rows.map(([name, value]) => `${name!.padEnd(12)}${value}\n`).join('');
}

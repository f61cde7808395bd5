import { Command, Option } from 'commander';
import { type EventStoreKind, copyEvents } from '@wallet/event-store';
import { withDatabase } from '../cli-database';
import { progressBar } from '../progress-bar';

const STORES: readonly EventStoreKind[] = ['postgres', 'kurrentdb'];

/** `events copy`: moves the event log from one store to the other. */
export function eventsCommand(): Command {
  const events = new Command('events').description('Work on the event log itself.');
  events
    .command('copy')
    .description('Copy the event log from one event store to the other, in order, keeping ids and revisions. Resumable: run it again after a stop.')
    .addOption(new Option('--from <store>', 'the store to read').choices(STORES).makeOptionMandatory())
    .addOption(new Option('--to <store>', 'the store to write (KURRENTDB_URL for kurrentdb, DATABASE_URL or the embedded PostgreSQL for postgres)').choices(STORES).makeOptionMandatory())
    .option('--batch-size <n>', 'events read per batch', (value) => Number.parseInt(value, 10), 1_000)
    .action(async (options: { from: EventStoreKind; to: EventStoreKind; batchSize: number }) => {
      if (options.from === options.to) throw new Error('--from and --to name the same store.');
      const bar = progressBar('Copying events');
      const result = await withDatabase(({ pool, openStore }) =>
        copyEvents({
          source: openStore(options.from),
          target: openStore(options.to),
          pool,
          name: `${options.from}->${options.to}`,
          batchSize: options.batchSize,
          targetKeepsAppendOrder: options.to === 'kurrentdb',
          onProgress: (_copied, position, head) => bar.update(position, head),
        }),
      ).finally(() => bar.stop());
      const skipped = result.alreadyThere > 0 ? ` ${result.alreadyThere} were in the target already and were skipped.` : '';
      process.stdout.write(`Copied ${result.copied} events from ${options.from} to ${options.to}, up to source position ${result.position}.${skipped}\n`);
    });
  return events;
}

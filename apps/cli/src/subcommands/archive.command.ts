import { Command } from 'commander';
import { archiveTransactions } from '@wallet/read-model';
import { withDatabase } from '../cli-database';
import { parseDuration } from '../duration';

const DAY_MS = 86_400_000;

/** `archive`: moves old final transactions to the archive table now. */
export function archiveCommand(): Command {
  return new Command('archive')
    .description(
      'Move final transactions older than a duration, and covered by a snapshot, to read_model.transactions_archive. ' +
        'A confirmed transaction with some left to reverse moves only once it is older than ARCHIVE_AFTER_DAYS days too.',
    )
    .option('--older-than <duration>', 'age of the transactions to move: 30d, 12h, 90m (default: ARCHIVE_AFTER_DAYS days)', parseDuration)
    .action(async (options: { olderThan?: number }) => {
      const { olderThan, result } = await withDatabase(async ({ pool, config }) => {
        const cutoff = new Date(Date.now() - (options.olderThan ?? config.ARCHIVE_AFTER_DAYS * DAY_MS));
        const reversibleOlderThan = new Date(Date.now() - config.ARCHIVE_AFTER_DAYS * DAY_MS);
        return { olderThan: cutoff, result: await archiveTransactions(pool, { olderThan: cutoff, reversibleOlderThan }) };
      });
      const more = result.more ? ' More are left: run it again.' : '';
      process.stdout.write(`Archived ${result.moved} transactions last changed before ${olderThan.toISOString()} (${result.batches} ${result.batches === 1 ? 'statement' : 'statements'}).${more}\n`);
    });
}

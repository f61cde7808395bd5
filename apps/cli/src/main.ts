import { Command } from 'commander';
import { archiveCommand } from './subcommands/archive.command';
import { eventsCommand } from './subcommands/events.commands';
import { keysCommand } from './subcommands/keys.commands';
import { projectionsCommand } from './subcommands/projections.commands';
import { verifyCommand } from './subcommands/verify.command';
import { webhooksCommand } from './subcommands/webhooks.commands';

/** Exit code of a command that failed (as opposed to `verify` finding drift). */
const FAILURE_EXIT_CODE = 2;

/**
 * Operator commands: projection status, rebuild, verification, archiving, copying the event
 * log between stores, API keys and webhook endpoints. Configuration comes from the environment,
 * as for the apps.
 */
async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('wallet-cli')
    .description('Operate the wallet service: read model and event log.')
    .addCommand(projectionsCommand())
    .addCommand(verifyCommand())
    .addCommand(archiveCommand())
    .addCommand(eventsCommand())
    .addCommand(keysCommand())
    .addCommand(webhooksCommand());
  await program.parseAsync(argv);
}

main(process.argv).catch((error: unknown) => {
  // A ConfigError names every bad variable; other failures say what went wrong in their message.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = FAILURE_EXIT_CODE;
});

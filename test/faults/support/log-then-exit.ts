/**
 * A process that logs a few lines and exits at once, with the destination named by argv[2]:
 * `pino-default` (pino's own stdout destination) or `api` (the API's logDestination). Run with
 * a stdout whose reader is gone, the exit meets lines still buffered behind a write in flight.
 */
import pino from 'pino';
import { logDestination } from '@wallet/config';

const log = process.argv[2] === 'pino-default' ? pino() : pino({}, logDestination());
// Long enough for the parent to close its end of the pipe first.
setTimeout(() => {
  for (let line = 0; line < 3; line += 1) log.info(`line ${line}`);
  process.exit(0);
}, 1_000);

import SonicBoom from 'sonic-boom';

/** Log lines waiting for a slow stdout beyond this are dropped rather than held in memory. */
const BUFFERED_MAX_BYTES = 16 * 1024 * 1024;
/** How long the last log lines may take to reach a stdout that answers EAGAIN, at exit. */
const EXIT_FLUSH_MS = 500;

let destination: SonicBoom | undefined;

/**
 * The one stream every logger of the API process writes to: stdout, written asynchronously.
 *
 * It never holds the process up, whatever became of stdout. pino's own destination (on
 * sonic-boom 4) flushes at exit and retries EPIPE forever inside `process.exit`, so with the
 * reading end of the pipe gone, SIGTERM never ended and SHUTDOWN_TIMEOUT_MS could not help
 * (its timer cannot fire during the exit). Here, a failed write (EPIPE: nobody reads stdout
 * any more) drops that line and every later one; at exit the buffered lines get one flush,
 * which gives up after EXIT_FLUSH_MS on a stalled pipe and at once on a broken one (sonic-boom
 * 5 throws errors other than EAGAIN from flushSync).
 */
export function logDestination(): SonicBoom {
  if (destination) return destination;
  let exitingAt: number | undefined;
  const stream = new SonicBoom({
    fd: 1,
    sync: false,
    maxLength: BUFFERED_MAX_BYTES,
    retryEAGAIN: () => exitingAt === undefined || Date.now() - exitingAt < EXIT_FLUSH_MS,
  });
  let broken = false;
  const dropEverything = (): void => {
    broken = true;
    stream.write = () => true;
    stream.flushSync = () => undefined;
  };
  // An unhandled 'error' event would crash the process; a log line is not worth that.
  stream.on('error', dropEverything);
  process.once('exit', () => {
    if (broken) return;
    exitingAt = Date.now();
    try {
      stream.flushSync();
    } catch {
      dropEverything();
    }
  });
  destination = stream;
  return stream;
}

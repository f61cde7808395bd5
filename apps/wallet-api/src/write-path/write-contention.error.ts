/** A command lost the race for its stream more often than the retry budget allows. */
export class WriteContentionError extends Error {
  override readonly name = 'WriteContentionError';
}

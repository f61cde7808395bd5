import type { RecordedEvent } from '@wallet/event-store';

/**
 * Seams around a batch's transaction, for tests: crash tests stop a projector in the middle
 * of a batch here, as a killed process would stop.
 */
export interface ProjectorBatchHooks {
  /**
   * After the batch's rows and checkpoint are written in its transaction, before the commit.
   * An error it throws abandons the batch as a dying process would: the connection is
   * dropped without a rollback, and the projector stops with that error, neither retrying
   * nor recording a halt.
   */
  readonly beforeCommit?: (batch: readonly RecordedEvent[]) => void | Promise<void>;
}

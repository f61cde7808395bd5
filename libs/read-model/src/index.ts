export { readModelMigrations } from './migrations';
export * from './projector/checkpoints';
export { Projector, type ProjectorBatchHooks } from './projector/projector';
export { PROJECTOR_BATCH_HOOKS, PROJECTOR_BATCH_LISTENER, type ProjectorBatchListener, ProjectorService } from './nest/projector.service';
export { type ProjectorHalt, ProjectorState } from './nest/projector-state';
export * from './queries';
export * from './replay/balance-replay';
export { type CurrencyTotals, foldCurrencyTotals, zeroCurrencyTotals } from './replay/currency-totals-fold';
export { ArchiveScheduler } from './nest/archive.scheduler';
export { archiveTransactions, type ArchiveOptions, type ArchiveResult } from './archive/archive';
export { createShadowSchema, rebuildReadModel, type RebuildOptions, type RebuildResult } from './rebuild/rebuild';
export {
  verifyReadModel,
  type DriftField,
  type DriftReport,
  type GroupDrift,
  type TotalsDrift,
  type TotalsDriftField,
  type VerifyOptions,
  type WalletDrift,
} from './verify/verify';
export { projectionStatus, type ProjectionStatus } from './status/projection-status';

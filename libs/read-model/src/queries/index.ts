export * from './read-model-status.queries';
export * from './wallets.queries';
export * from './transactions.queries';
export * from './snapshots.queries';
export * from './groups.queries';
export * from './owner-access.queries';
export * from './totals.queries';

export * from './read-model-status.queries';
export * from './wallets.queries';
export * from './transactions.queries';
export * from './transaction-search.queries';
export * from './snapshots.queries';
export * from './groups.queries';
export * from './group-search.queries';
export * from './owner-access.queries';
export type { MetadataFilter } from './metadata-filter';

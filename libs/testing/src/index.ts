export { deciderSpec, type Decider } from './decider-spec';
export { createTestDatabase, type TestDatabase } from './database/test-database';
export { appendOnConnection, type RawEvent } from './database/raw-append';
export * from './builders/wallet.builders';
export * from './builders/wallet-history.builders';
export * from './builders/group.builders';
export { appendWalletEvents, catchUpToHead, createStoreTestDatabase, dumpReadModel, type StoreTestDatabase } from './database/read-model-fixtures';
export { kurrentDbUnderTest, type KurrentDbUnderTest } from './kurrentdb-under-test';
export { describeEventStoreContract, newEvent, readAllAtLeast, type EventStoreFixture } from './contracts/event-store.contract';

import * as eventStore from './0001-event-store.migration';
import * as readModel from './0002-read-model.migration';
import * as appendHardening from './0003-append-hardening.migration';
import * as transactionGroups from './0004-transaction-groups.migration';
import * as eventFeed from './0005-event-feed.migration';
import * as eventCopy from './0006-event-copy.migration';
import * as groupCommit from './0007-group-commit.migration';
import * as apiKeys from './0008-api-keys.migration';
import * as eventChain from './0009-event-chain.migration';
import * as snapshotIds from './0010-snapshot-ids.migration';

export interface Migration {
  readonly name: string;
  readonly up: string;
}

/** Every migration in the order it runs. Add new ones at the end; never edit an applied one. */
export const migrations: readonly Migration[] = [
  { name: '0001-event-store', up: eventStore.up },
  { name: '0002-read-model', up: readModel.up },
  { name: '0003-append-hardening', up: appendHardening.up },
  { name: '0004-transaction-groups', up: transactionGroups.up },
  { name: '0005-event-feed', up: eventFeed.up },
  { name: '0006-event-copy', up: eventCopy.up },
  { name: '0007-group-commit', up: groupCommit.up },
  { name: '0008-api-keys', up: apiKeys.up },
  { name: '0009-event-chain', up: eventChain.up },
  { name: '0010-snapshot-ids', up: snapshotIds.up },
];

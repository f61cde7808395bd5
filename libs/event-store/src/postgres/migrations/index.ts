import type { Migration } from '@wallet/postgres';
import * as eventStore from './0001-event-store.migration';
import * as appendHardening from './0003-append-hardening.migration';
import * as eventFeed from './0005-event-feed.migration';
import * as eventCopy from './0006-event-copy.migration';
import * as groupCommit from './0007-group-commit.migration';
import * as eventChain from './0009-event-chain.migration';
import * as idempotencyOwners from './0011-idempotency-owners.migration';
import * as conflictMissedEvents from './0014-conflict-missed-events.migration';

/**
 * The PostgreSQL event store's schema `event_store`: the log, streams, the append functions,
 * idempotency records, copy progress and the hash chain. The numbers are places in the
 * service's one recorded order (the gaps belong to other owners); add new ones with the next
 * free number, and never edit an applied one.
 */
export const eventStoreMigrations: readonly Migration[] = [
  { name: '0001-event-store', up: eventStore.up },
  { name: '0003-append-hardening', up: appendHardening.up },
  { name: '0005-event-feed', up: eventFeed.up },
  { name: '0006-event-copy', up: eventCopy.up },
  { name: '0007-group-commit', up: groupCommit.up },
  { name: '0009-event-chain', up: eventChain.up },
  { name: '0011-idempotency-owners', up: idempotencyOwners.up },
  { name: '0014-conflict-missed-events', up: conflictMissedEvents.up },
];

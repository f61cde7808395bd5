import type { Migration } from '@wallet/postgres';
import * as readModel from './0002-read-model.migration';
import * as transactionGroups from './0004-transaction-groups.migration';
import * as snapshotIds from './0010-snapshot-ids.migration';
import * as transactionLifecycle from './0012-transaction-lifecycle.migration';
import * as limitsReferencesTotals from './0013-limits-references-totals.migration';

/**
 * The schema `read_model`, written only by the projector. The numbers are places in the
 * service's one recorded order (the gaps belong to other owners); add new ones with the next
 * free number, and never edit an applied one.
 */
export const readModelMigrations: readonly Migration[] = [
  { name: '0002-read-model', up: readModel.up },
  { name: '0004-transaction-groups', up: transactionGroups.up },
  { name: '0010-snapshot-ids', up: snapshotIds.up },
  { name: '0012-transaction-lifecycle', up: transactionLifecycle.up },
  { name: '0013-limits-references-totals', up: limitsReferencesTotals.up },
];

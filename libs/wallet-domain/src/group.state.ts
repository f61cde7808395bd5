import type { GroupLeg } from './group.events';
import type { Metadata } from './wallet.events';

export type GroupStatus = 'pending' | 'completed' | 'rejected';

export interface GroupState {
  readonly exists: boolean;
  readonly groupId: string;
  readonly status: GroupStatus;
  readonly currency: string;
  readonly description: string | null;
  readonly metadata: Metadata;
  readonly legs: readonly GroupLeg[];
  readonly expiresAt: string | null;
  readonly rejectReason: string | null;
  /** The group this one reverses, and the group that reversed this one. */
  readonly reversalOf: string | null;
  readonly reversedBy: string | null;
  readonly reference: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Number of events folded: the group stream's revision plus one. */
  readonly version: number;
}

export const initialGroupState: GroupState = Object.freeze({
  exists: false,
  groupId: '',
  status: 'pending',
  currency: '',
  description: null,
  metadata: {},
  legs: [],
  expiresAt: null,
  rejectReason: null,
  reversalOf: null,
  reversedBy: null,
  reference: null,
  createdAt: '',
  updatedAt: '',
  version: 0,
});

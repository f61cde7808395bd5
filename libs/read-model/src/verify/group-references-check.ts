import type { GroupEvent } from '@wallet/domain';
import type { PoolClient } from 'pg';

/** How a group without a reference shows in a drift. */
const NONE = '(none)';

export interface GroupDrift {
  readonly groupId: string;
  readonly field: 'reference';
  /** Folded from the event log. */
  readonly expected: string;
  /** Found in the read model. */
  readonly actual: string;
}

/**
 * Checks the groups' references against the log: the fold keeps the reference of every
 * group recorded with one (one small entry per such group), then the groups with a
 * reference in the read model are read page by page in id order and matched against it.
 */
export class GroupReferencesCheck {
  private readonly folded = new Map<string, string>();

  apply(event: GroupEvent): void {
    // PostgreSQL prints uuids in lower case, whatever case the event spelled them in.
    if (event.type === 'TransactionGroupRecorded' && event.data.reference !== undefined) this.folded.set(event.data.groupId.toLowerCase(), event.data.reference);
  }

  /** Every group whose reference differs, consuming the fold. */
  async drifts(client: PoolClient, schema: string, pageSize: number): Promise<GroupDrift[]> {
    const drifts: GroupDrift[] = [];
    let after: string | null = null;
    for (;;) {
      const { rows }: { rows: { id: string; reference: string }[] } = await client.query(
        `select id, reference from ${schema}.transaction_groups where reference is not null and ($2::uuid is null or id > $2) order by id limit $1`,
        [pageSize, after],
      );
      for (const row of rows) {
        const expected = this.folded.get(row.id) ?? NONE;
        if (expected !== row.reference) drifts.push({ groupId: row.id, field: 'reference', expected, actual: row.reference });
        this.folded.delete(row.id);
      }
      if (rows.length < pageSize) break;
      after = rows[rows.length - 1]!.id;
    }
    for (const [groupId, expected] of this.folded) drifts.push({ groupId, field: 'reference', expected, actual: NONE });
    return drifts.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }
}

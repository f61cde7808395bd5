import type { PoolClient } from 'pg';
import { ArrayParams } from './array-params';

import { isIdentifier } from './schema-name';

/** Where a batch moves its projection's checkpoint: from the position it was locked at, to the batch's last. */
interface CheckpointMove {
  readonly name: string;
  readonly from: bigint;
  readonly to: bigint;
}

/** A part whose rows are counted: a drift from the count expected stops the batch. */
interface CountedPart {
  readonly name: string;
  readonly expected: number;
  readonly drift: (count: number) => string;
}

/** A batch's statement as it is sent; the checkpoint's move is given when it runs. */
export interface EncodedStatement {
  readonly text: string;
  /** The parameters after the checkpoint's three ($1 from, $2 to, $3 name). */
  readonly values: readonly unknown[];
  readonly counted: readonly CountedPart[];
}

/**
 * The one statement that writes a batch: each projection adds its set-based parts (common
 * table expressions taking whole columns as array parameters), and the move of the
 * checkpoint comes last. Encoding it is the costly part, done ahead of the transaction.
 */
export class BatchStatement {
  readonly params = new ArrayParams(3);
  private readonly parts: string[] = [];
  private readonly names = new Set<string>();
  private readonly counted: CountedPart[] = [];

  constructor(readonly schema: string) {}

  /** Adds `name as (sql)`; every part of a batch has a name of its own. */
  add(name: string, sql: string): void {
    if (!isIdentifier(name) || name === 'moved' || this.names.has(name)) throw new Error(`Statement part ${name} is taken or not an identifier.`);
    this.names.add(name);
    this.parts.push(`${name} as (${sql})`);
  }

  /** Adds a part that returns one row per row it changed, which must number `expected`; else `drift` words the error. */
  addCounted(name: string, sql: string, expected: number, drift: (count: number) => string): void {
    this.add(name, sql);
    this.counted.push({ name, expected, drift });
  }

  encode(): EncodedStatement {
    const moved = `moved as (
       update ${this.schema}.projection_checkpoints set position = $2::bigint, updated_at = now(), failed_position = null, failure = null
        where name = $3::text and position = $1::bigint
       returning 1
     )`;
    const counts = [...this.counted.map((part) => part.name), 'moved'].map((name) => `(select count(*) from ${name})::int as ${name}`);
    const text = `with ${[...this.parts, moved].join(', ')}\n     select ${counts.join(', ')}`;
    return { text, values: this.params.values, counted: this.counted };
  }
}

/** Writes a batch and moves the checkpoint, with one statement. */
export async function writeBatch(client: PoolClient, statement: EncodedStatement, checkpoint: CheckpointMove): Promise<void> {
  const { rows } = await client.query<Record<string, number>>(statement.text, [checkpoint.from.toString(), checkpoint.to.toString(), checkpoint.name, ...statement.values]);
  const counts = rows[0]!;
  for (const part of statement.counted) if (counts[part.name] !== part.expected) throw new Error(part.drift(counts[part.name]!));
  if (counts['moved'] !== 1) throw new Error(`Checkpoint ${checkpoint.name} is no longer at ${checkpoint.from}: another projector is running.`);
}

/**
 * The parameters of one statement built from optional filters: each value added answers the
 * placeholder that refers to it, so a condition is written once whatever else is asked.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A statement ready for `db.query(text, values)`, or for EXPLAIN. */
export interface Statement {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * One line of the suite's table. Every scenario's JSON in bench/results/ carries its lines
 * under `summary`, so `npm run bench` can print one table for all scenarios.
 */
export interface SummaryRow {
  readonly scenario: string;
  /** What was measured, e.g. "appends/s, this store" or "ratio to Emmett". */
  readonly measure: string;
  readonly value: number;
  readonly unit: string;
  /** The target this line is held to, in words, e.g. "≥ 5". */
  readonly target?: string;
  /** Whether the target was met; absent for lines without a target. */
  readonly met?: boolean;
}

/** A line held to "at least `minimum`". */
export function atLeast(scenario: string, measure: string, value: number, unit: string, minimum: number): SummaryRow {
  return { scenario, measure, value, unit, target: `≥ ${minimum}`, met: value >= minimum };
}

/** A line held to "at most `maximum`". */
export function atMost(scenario: string, measure: string, value: number, unit: string, maximum: number): SummaryRow {
  return { scenario, measure, value, unit, target: `≤ ${maximum}`, met: value <= maximum };
}

/** A line reported without a target. */
export function figure(scenario: string, measure: string, value: number, unit: string): SummaryRow {
  return { scenario, measure, value, unit };
}

import { type Machine, machine, writeResults } from './results';
import { newestResult } from './result-files';
import type { SummaryRow } from './summary';

/** What became of one scenario of the suite. */
export interface ScenarioOutcome {
  readonly scenario: string;
  readonly status: 'ran' | 'missing' | 'failed';
  readonly seconds: number;
  /** Its result file written during this suite, if any. */
  readonly resultPath: string | null;
  readonly rows: readonly SummaryRow[];
  /** Why there are no rows, when there are none. */
  readonly note: string | null;
  readonly machine: Machine | null;
}

/** Reads the summary lines of `scenario`'s newest result written at or after `startedAt` (ms). */
export function outcomeOf(scenario: string, exitCode: number, startedAt: number): ScenarioOutcome {
  const seconds = Math.round((Date.now() - startedAt) / 1_000);
  const result = newestResult(scenario, startedAt);
  const base = { scenario, seconds, resultPath: result?.path ?? null, machine: (result?.figures['machine'] as Machine | undefined) ?? null };
  if (exitCode !== 0) return { ...base, status: 'failed', rows: [], note: `exited with code ${exitCode}` };
  if (result === null) return { ...base, status: 'ran', rows: [], note: 'wrote no result to bench/results/' };
  const summary = result.figures['summary'];
  if (!Array.isArray(summary)) return { ...base, status: 'ran', rows: [], note: `${result.path} has no summary lines` };
  return { ...base, status: 'ran', rows: summary as SummaryRow[], note: null };
}

export function missing(scenario: string): ScenarioOutcome {
  return { scenario, status: 'missing', seconds: 0, resultPath: null, rows: [], note: `bench/${scenario}.bench.ts does not exist: skipped`, machine: null };
}

/** Prints one table of every scenario's summary lines, then what has none, and writes the suite's JSON. */
export function reportSuite(outcomes: readonly ScenarioOutcome[], startedAt: Date, environment: Record<string, string>): void {
  const rows = outcomes.flatMap((outcome) => outcome.rows);
  console.log(`\nSuite summary (${rows.length} lines)`);
  printTable(
    ['scenario', 'measure', 'value', 'unit', 'target', 'met'],
    rows.map((row) => [row.scenario, row.measure, String(row.value), row.unit, row.target ?? '', row.met === undefined ? '' : row.met ? '✓' : '✗']),
  );
  for (const outcome of outcomes.filter((o) => o.note !== null)) console.log(`${outcome.scenario}: ${outcome.note}`);
  const unmet = rows.filter((row) => row.met === false).length;
  console.log(`${rows.filter((row) => row.met !== undefined).length - unmet} targets met, ${unmet} not met`);
  const seen = outcomes.find((outcome) => outcome.machine !== null)?.machine ?? machine('unknown');
  const path = writeResults('suite', {
    scenario: 'suite',
    machine: seen,
    startedAt: startedAt.toISOString(),
    seconds: Math.round((Date.now() - startedAt.getTime()) / 1_000),
    environment,
    scenarios: outcomes.map(({ rows: _rows, machine: _machine, ...outcome }) => outcome),
    rows,
  });
  console.log(`written to ${path}`);
}

function printTable(header: readonly string[], body: readonly (readonly string[])[]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((row) => row[column]!.length)));
  // Numbers align right, words left.
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((width) => '─'.repeat(width)).join('  '));
  for (const row of body) console.log(line(row));
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface Machine {
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly postgres: string;
  readonly node: string;
}

/** The machine a figure was taken on: every published figure names it. */
export function machine(postgresVersion: string): Machine {
  return { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), postgres: postgresVersion, node: process.version };
}

/** Writes a run's figures to bench/results/<scenario>-<time>.json and returns the path. */
export function writeResults(scenario: string, figures: unknown): string {
  mkdirSync('bench/results', { recursive: true });
  const path = `bench/results/${scenario}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(path, JSON.stringify(figures, null, 2));
  return path;
}

/** A positive integer from the environment, or the default. */
export function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${raw}.`);
  return value;
}

/** The p-th percentile (0..100) of ascending `sorted`, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Rounds to `digits` decimals, for tables. */
export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

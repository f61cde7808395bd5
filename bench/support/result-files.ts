import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_DIR = 'bench/results';

/**
 * The newest bench/results/<scenario>-<time>.json, parsed, or null if there is none (or
 * none written at or after `notBefore`, a time in ms).
 */
export function newestResult(scenario: string, notBefore = 0): { path: string; figures: Record<string, unknown> } | null {
  if (!existsSync(RESULTS_DIR)) return null;
  const pattern = new RegExp(`^${scenario.replace(/[-]/g, '\\-')}-\\d{4}-\\d{2}-\\d{2}T[\\d-]+Z\\.json$`);
  const newest = readdirSync(RESULTS_DIR)
    .filter((file) => pattern.test(file))
    .map((file) => join(RESULTS_DIR, file))
    .filter((path) => statSync(path).mtimeMs >= notBefore)
    .sort()
    .pop();
  return newest === undefined ? null : { path: newest, figures: JSON.parse(readFileSync(newest, 'utf8')) as Record<string, unknown> };
}

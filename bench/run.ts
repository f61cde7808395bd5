import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench -- <scenario>` runs bench/<scenario>.bench.ts; http-credit when none is
 * named. Each scenario runs as it loads.
 */
const scenarios = readdirSync(__dirname)
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.slice(0, -'.bench.ts'.length));
const scenario = process.argv[2] ?? 'http-credit';

if (scenarios.includes(scenario)) {
  void import(join(__dirname, `${scenario}.bench.ts`));
} else {
  console.error(`Unknown scenario "${scenario}". Scenarios: ${scenarios.join(', ')}.`);
  process.exit(1);
}

import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SUITE, benchEnvironment, estimateSuite, formatDuration } from './support/suite-plan';
import { type ScenarioOutcome, missing, outcomeOf, reportSuite } from './support/suite-report';

/**
 * `npm run bench` runs the whole suite (SUITE, in order), each scenario in a process of its
 * own so that none inherits another's memory or leftover work, then prints one table of
 * every scenario's summary lines and writes bench/results/suite-<time>.json.
 * `npm run bench -- <scenario>` runs bench/<scenario>.bench.ts alone, in this process.
 */
const scenarioFile = (scenario: string): string => join(__dirname, `${scenario}.bench.ts`);

async function runSuite(): Promise<void> {
  const startedAt = new Date();
  const estimates = estimateSuite(SUITE.filter((scenario) => existsSync(scenarioFile(scenario))));
  const total = estimates.reduce((sum, estimate) => sum + estimate.seconds, 0);
  console.log(`Bench suite: ${SUITE.join(', ')}. Estimated time with these settings: about ${formatDuration(total)}`);
  for (const estimate of estimates) console.log(`  ${estimate.scenario}: ~${formatDuration(estimate.seconds)} (${estimate.basis})`);
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of SUITE) {
    if (!existsSync(scenarioFile(scenario))) {
      console.log(`\n== ${scenario}: bench/${scenario}.bench.ts does not exist, skipped`);
      outcomes.push(missing(scenario));
      continue;
    }
    console.log(`\n== ${scenario}`);
    const started = Date.now();
    const exitCode = await runChild(scenario);
    outcomes.push(outcomeOf(scenario, exitCode, started));
  }
  reportSuite(outcomes, startedAt, benchEnvironment());
  if (outcomes.some((outcome) => outcome.status === 'failed')) process.exitCode = 1;
}

/** `tsx bench/<scenario>.bench.ts`, sharing this terminal; resolves with its exit code. */
function runChild(scenario: string): Promise<number> {
  const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
  return new Promise((resolve) => {
    const child = spawn(tsx, [scenarioFile(scenario)], { stdio: 'inherit' });
    child.once('error', (error) => {
      console.error(`${scenario}: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

const scenario = process.argv[2];
if (scenario === undefined) {
  runSuite().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  const scenarios = readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .map((file) => file.slice(0, -'.bench.ts'.length));
  if (scenarios.includes(scenario)) {
    void import(scenarioFile(scenario));
  } else {
    console.error(`Unknown scenario "${scenario}". Scenarios: ${scenarios.join(', ')}.`);
    process.exit(1);
  }
}

import fc from 'fast-check';
import type { TestApp } from '../test-app';
import { recordState } from './database-state';
import { describeExchange, printedShort, send, verdict } from './exchange';
import type { HostileRequest } from './hostile-request';

export interface FuzzRun {
  /** Names the run in the log and in the tally of requests sent. */
  readonly name: string;
  readonly requests: fc.Arbitrary<HostileRequest>;
  readonly numRuns: number;
  readonly seed: number;
  /** Requests that must be refused with a 4xx; the others need only avoid a 5xx. */
  readonly isWrite: (request: HostileRequest) => boolean;
  /** Answers (`status code`) the run must have met at least once. */
  readonly mustSee: readonly string[];
}

/**
 * Sends `numRuns` requests, judging each answer; the state must not move. Records how many
 * requests went out in `sentPerProperty`, even when one of them fails.
 */
export async function fuzzWithoutChange(app: TestApp, run: FuzzRun, sentPerProperty: Record<string, number>): Promise<void> {
  const before = await recordState(app);
  const statuses = new Map<string, number>();
  let sent = 0;
  try {
    await fc.assert(
      fc.asyncProperty(run.requests.map(printedShort), async (request) => {
        const answer = await send(app, request);
        sent += 1;
        const seen = `${answer.status} ${answer.body?.code ?? ''}`.trim();
        statuses.set(seen, (statuses.get(seen) ?? 0) + 1);
        const wrong = verdict(request, answer, run.isWrite(request));
        if (wrong.length > 0) throw new Error(`${wrong.join('; ')}\n${describeExchange(request, answer)}`);
      }),
      // No shrinking: the server keeps state, so the first failing request is the one to report.
      { seed: run.seed, numRuns: run.numRuns, endOnFailure: true },
    );
  } finally {
    sentPerProperty[run.name] = sent;
    console.log(`${run.name}: ${sent} requests, answers ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  }
  // The generators must have reached what they are about, not failed early on something dull.
  for (const answer of run.mustSee) expect([...statuses.keys()]).toContain(answer);
  expect(await recordState(app)).toEqual(before);
}

import autocannon from 'autocannon';
import { median, round } from './results';

/** An HTTP server under load and the requests every connection sends to it, in turn. */
export interface LoadTarget {
  readonly name: string;
  /**
   * Several servers (e.g. two API processes on one database) are loaded at once, one
   * autocannon instance each with an even share of the connections; their figures are
   * combined (combineProcesses).
   */
  readonly baseUrl: string | readonly string[];
  readonly requests: autocannon.Request[];
  /** Told before each of the target's runs starts: the warm-up, then rounds 1, 2, ... */
  readonly onRun?: (run: Run) => void | Promise<void>;
  /** Told once each run has ended, every answer in: awaited before the next run starts. */
  readonly onRunEnd?: (run: Run) => void | Promise<void>;
}

/** The warm-up, or round 1, 2, ... */
export type Run = 'warm-up' | number;

export interface LoadPlan {
  readonly connections: number;
  readonly rounds: number;
  /** Seconds of load per round, then the answers to requests in flight. */
  readonly roundS: number;
  /** Load before the first round, not counted. */
  readonly warmUpS: number;
}

export interface RoundFigures {
  readonly seconds: number;
  /** Requests answered, whatever the status. */
  readonly answered: number;
  readonly ok: number;
  /** 2xx answers per second. */
  readonly okPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly non2xx: number;
  readonly status4xx: number;
  readonly status5xx: number;
  /** Among the 5xx: the API's "retry later" (shed load, a retryable WRITE_CONTENTION). */
  readonly status503: number;
  /** Transport errors, timeouts included: requests without an answer. */
  readonly errors: number;
  readonly timeouts: number;
  /** For a target of several servers: each one's own figures, in the order of its base URLs. */
  readonly byProcess?: readonly RoundFigures[];
}

export interface TargetFigures {
  /** Each figure's median across the rounds. */
  readonly median: RoundFigures;
  /** Counts summed over the rounds, the worst max latency (rates and percentiles: medians). */
  readonly total: RoundFigures;
  readonly warmUp: RoundFigures;
  readonly rounds: readonly RoundFigures[];
}

/**
 * Warms every target up, then runs `plan.rounds` rounds alternating between the targets
 * (round 1 of each, round 2 of each, ...), so that drift on a shared machine hits them
 * alike.
 */
export async function runRounds(targets: readonly LoadTarget[], plan: LoadPlan): Promise<Record<string, TargetFigures>> {
  const warmUps = new Map<string, RoundFigures>();
  for (const target of targets) {
    const warmUp = await runOnce(target, 'warm-up', plan.connections, plan.warmUpS);
    warmUps.set(target.name, warmUp);
    console.log(`warm-up ${target.name}: ${warmUp.answered} requests in ${warmUp.seconds} s, non-2xx ${warmUp.non2xx} (503: ${warmUp.status503}), errors ${warmUp.errors}`);
  }
  const rounds = new Map(targets.map((target) => [target.name, [] as RoundFigures[]]));
  for (let i = 1; i <= plan.rounds; i += 1) {
    for (const target of targets) {
      const figures = await runOnce(target, i, plan.connections, plan.roundS);
      rounds.get(target.name)!.push(figures);
      const { latencyMs: l } = figures;
      console.log(
        `round ${i}/${plan.rounds} ${target.name}: ${figures.okPerSecond} 2xx/s, p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms, ` +
          `non-2xx ${figures.non2xx}, errors ${figures.errors} (${figures.answered} answers in ${figures.seconds} s)` +
          (figures.byProcess ? `; per process ${figures.byProcess.map((part) => `${part.okPerSecond} 2xx/s, ${part.status503} 503`).join(' | ')}` : ''),
      );
    }
  }
  return Object.fromEntries(
    targets.map((target) => {
      const done = rounds.get(target.name)!;
      return [target.name, { median: combine(done, 'median'), total: combine(done, 'total'), warmUp: warmUps.get(target.name)!, rounds: done }];
    }),
  );
}

/** One run of `target`, its hooks around it. */
async function runOnce(target: LoadTarget, run: Run, connections: number, seconds: number): Promise<RoundFigures> {
  await target.onRun?.(run);
  const figures = await runTarget(target, connections, seconds);
  await target.onRunEnd?.(run);
  return figures;
}

/** One run of `target`: on each of its servers at once when it has several, the connections split evenly. */
async function runTarget(target: LoadTarget, connections: number, seconds: number): Promise<RoundFigures> {
  if (typeof target.baseUrl === 'string') return runFor(target.baseUrl, target.requests, connections, seconds);
  const urls = target.baseUrl;
  if (connections < urls.length) throw new Error(`${target.name}: ${connections} connections cannot be split between ${urls.length} servers.`);
  const share = (index: number): number => Math.floor(connections / urls.length) + (index < connections % urls.length ? 1 : 0);
  return combineProcesses(await Promise.all(urls.map((url, index) => runFor(url, target.requests, share(index), seconds))));
}

/**
 * The figures of servers loaded at once as one: counts and rates summed, the longest run,
 * the worse latency of each kind (a percentile of the union is not kept); each server's own
 * figures under byProcess.
 */
function combineProcesses(parts: readonly RoundFigures[]): RoundFigures {
  const total = (pick: (figures: RoundFigures) => number): number => sum(parts.map(pick));
  const worst = (pick: (figures: RoundFigures) => number): number => Math.max(...parts.map(pick));
  return {
    seconds: worst((f) => f.seconds),
    answered: total((f) => f.answered),
    ok: total((f) => f.ok),
    okPerSecond: total((f) => f.okPerSecond),
    latencyMs: { p50: worst((f) => f.latencyMs.p50), p99: worst((f) => f.latencyMs.p99), max: worst((f) => f.latencyMs.max) },
    non2xx: total((f) => f.non2xx),
    status4xx: total((f) => f.status4xx),
    status5xx: total((f) => f.status5xx),
    status503: total((f) => f.status503),
    errors: total((f) => f.errors),
    timeouts: total((f) => f.timeouts),
    byProcess: parts,
  };
}

/** What autocannon's client keeps of its request budget (not in its typings). */
interface RequestBudget {
  reqsMade: number;
  responseMax: number;
  destroyed: boolean;
}

/** So large that a run only ends when its clients are told to stop. */
const UNLIMITED = Number.MAX_SAFE_INTEGER;
/** A request still unanswered this long after the end is given up (autocannon's timeout is 10 s). */
const DRAIN_LIMIT_S = 30;

/**
 * Load for `seconds`, then every answer awaited: when the time is up, each connection
 * sends nothing more but gets the answer to the request it has in flight. A timed
 * autocannon run would cut those requests off, and the client would not know what the
 * server did with them; this way what it counted is exactly what the server was asked to
 * do, but for requests with transport errors.
 */
function runFor(url: string, requests: autocannon.Request[], connections: number, seconds: number): Promise<RoundFigures> {
  const budgets: RequestBudget[] = [];
  const started = process.hrtime.bigint();
  let lastAnswer = started;
  let cutOff = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        amount: UNLIMITED,
        requests,
        setupClient: (client) => budgets.push(budgetOf(client)),
      },
      (error: unknown, result: autocannon.Result) => {
        clearTimeout(drain);
        clearTimeout(giveUp);
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        // Timed up to the last answer: autocannon only notices the end on its next 1 s tick.
        else resolve(figuresOf(result, Number(lastAnswer - started) / 1e9, cutOff));
      },
    );
    instance.on('response', () => {
      lastAnswer = process.hrtime.bigint();
    });
    const drain = setTimeout(() => {
      for (const budget of budgets) budget.responseMax = budget.reqsMade;
    }, seconds * 1_000);
    const giveUp = setTimeout(() => {
      cutOff = budgets.filter((budget) => !budget.destroyed).length;
      instance.stop();
    }, (seconds + DRAIN_LIMIT_S) * 1_000);
  });
}

function budgetOf(client: autocannon.Client): RequestBudget {
  const budget = client as unknown as Partial<RequestBudget>;
  if (typeof budget.reqsMade !== 'number' || typeof budget.responseMax !== 'number') {
    throw new Error("autocannon's client keeps no reqsMade / responseMax: a round cannot end with every answer awaited.");
  }
  return budget as RequestBudget;
}

function figuresOf(result: autocannon.Result, seconds: number, cutOff: number): RoundFigures {
  const answered = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    seconds: round(seconds, 2),
    answered,
    ok: result['2xx'],
    okPerSecond: Math.round(result['2xx'] / Math.max(seconds, 0.001)),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    status4xx: result['4xx'],
    status5xx: result['5xx'],
    status503: result.statusCodeStats?.['503']?.count ?? 0,
    // Requests cut off at the drain limit went unanswered too.
    errors: result.errors + cutOff,
    timeouts: result.timeouts,
  };
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/**
 * One set of figures from several runs: their medians, or their total (counts and seconds
 * summed, the worst max). Rates and percentiles stay medians either way: a sum of
 * percentiles means nothing.
 */
function combine(runs: readonly RoundFigures[], how: 'median' | 'total'): RoundFigures {
  const of = (pick: (figures: RoundFigures) => number): number => (how === 'total' ? sum : median)(runs.map(pick));
  const middle = (pick: (figures: RoundFigures) => number): number => round(median(runs.map(pick)), 1);
  const byProcess = runs[0]?.byProcess;
  const maxMs = how === 'total' ? Math.max(...runs.map((f) => f.latencyMs.max)) : middle((f) => f.latencyMs.max);
  return {
    seconds: round(of((f) => f.seconds), 2),
    answered: of((f) => f.answered),
    ok: of((f) => f.ok),
    okPerSecond: Math.round(median(runs.map((f) => f.okPerSecond))),
    latencyMs: { p50: middle((f) => f.latencyMs.p50), p99: middle((f) => f.latencyMs.p99), max: maxMs },
    non2xx: of((f) => f.non2xx),
    status4xx: of((f) => f.status4xx),
    status5xx: of((f) => f.status5xx),
    status503: of((f) => f.status503),
    errors: of((f) => f.errors),
    timeouts: of((f) => f.timeouts),
    ...(byProcess === undefined ? {} : { byProcess: byProcess.map((_, index) => combine(runs.map((f) => f.byProcess![index]!), how)) }),
  };
}

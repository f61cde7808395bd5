import type { ApiClient, Schemas } from './client';
import { expectData } from './problem';

export type ReadinessChecks = Schemas['Ready']['checks'] | NonNullable<Schemas['Problem']['checks']>;

export interface Readiness {
  readonly ready: boolean;
  /** What the checks found: present when ready, and in a 503 whenever the database answered. */
  readonly checks?: ReadinessChecks;
  /** Why the instance is not ready (the 503 problem's detail). */
  readonly detail?: string;
}

/**
 * GET /health/ready, read whatever it answers: a 503 is a state to show (with the checks its
 * problem carries), not a failure; anything else that is no success is thrown as an ApiProblem.
 */
export async function readReadiness(client: ApiClient): Promise<Readiness> {
  const answer = client.GET('/health/ready');
  const { data, error, response } = await answer;
  if (data) return { ready: true, checks: data.checks };
  if (response.status === 503 && error) return { ready: false, checks: error.checks, detail: error.detail };
  const ready = await expectData(answer);
  return { ready: true, checks: ready.checks };
}

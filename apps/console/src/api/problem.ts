import type { Problem } from './client';

/** An API refusal as the console shows it: the problem's `detail`, which says what to do. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(detail);
  }
}

interface Answer<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/** The answer's data, or an ApiProblem carrying its problem `detail` (RFC 9457). */
export async function expectData<T>(answer: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await answer;
  if (response.ok && data !== undefined) return data;
  const problem = (error ?? {}) as Partial<Problem>;
  throw new ApiProblem(response.status, problem.code, problem.detail ?? problem.title ?? `The API answered ${response.status}.`);
}

export function errorText(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  if (error instanceof Error) return `The API could not be reached: ${error.message}`;
  return 'Something went wrong.';
}

import { type ObservedAnswer, contractViolations } from './contract/answer-check';
import { contractFor } from './contract/contract-documents';

export type { ObservedAnswer } from './contract/answer-check';
export { recordAppEnvironment } from './contract/contract-documents';

/**
 * The one exclusion: what the OpenAPI module itself serves, the UI at /docs, its static
 * assets under /docs/, and the document at /docs/json and /docs-yaml. They are not
 * operations of the API and the document does not describe itself; docs/api.md names them.
 * (route-table.e2e-spec.ts leaves out the same routes.)
 */
const NOT_IN_THE_DOCUMENT = /^\/docs(?:-yaml)?(?:[/?#]|$)/;

/**
 * Checks an answer against the OpenAPI document the app serves and throws, naming the
 * request, the status and every violation, when the document does not describe it: an
 * undocumented status, Content-Type or header, or a body its schema refuses. The helpers
 * every end-to-end spec sends requests with call this, so any spec that meets such an
 * answer fails.
 */
export async function assertDocumented(baseUrl: string, answer: ObservedAnswer): Promise<void> {
  if (NOT_IN_THE_DOCUMENT.test(answer.target)) return;
  const violations = contractViolations(await contractFor(baseUrl), answer);
  if (violations.length === 0) return;
  const body = answer.text === undefined ? '(not read)' : answer.text.length > 600 ? `${answer.text.slice(0, 600)}...` : answer.text;
  throw new Error(
    `${answer.method} ${answer.target.slice(0, 300)} answered ${answer.status}, not as the OpenAPI document says:\n` +
      `${violations.map((violation) => `  - ${violation}`).join('\n')}\n  content-type: ${answer.header('content-type') ?? '(none)'}\n  body: ${body}`,
  );
}

/** A fetch answer's headers as `ObservedAnswer.header` reads them. */
export const fetchedHeader =
  (headers: Headers) =>
  (name: string): string | undefined =>
    headers.get(name) ?? undefined;

import type { OpenApiContract, ResponseObject } from './openapi-contract';
import { matchRoute } from './route-matcher';

/** One answer as a test helper received it. */
export interface ObservedAnswer {
  readonly method: string;
  /** The request target as sent: path and query string. */
  readonly target: string;
  readonly status: number;
  /** A response header by its lower-case name. */
  readonly header: (name: string) => string | undefined;
  /** The body as text; undefined when it was not read (an event stream cut off after its headers). */
  readonly text: string | undefined;
}

/**
 * Headers a client acts on: present on an answer, they must be documented for its status.
 * (Other headers, such as Content-Length or Vary, belong to HTTP, not to this API.)
 */
const HEADERS_OF_INTEREST = ['idempotency-replayed', 'x-read-model-position', 'retry-after', 'allow', 'www-authenticate', 'location'];

/**
 * The answers a request that reaches no operation can get, and the document's generic
 * answer (components.responses) each must conform to. Such a request is one whose path
 * matches no documented path, or whose method the path does not take, or which the router
 * refuses before matching: a caller without a valid key is refused (401) before anything
 * tells it whether the path exists; with a key, an unknown path is 404 and a known path
 * with another method 405; a malformed percent-escape is 400 and a path parameter longer
 * than the router takes is 414, both before authentication; a process at its in-flight limit
 * or shutting down answers 503 before anything else. Any other status there is a contract
 * violation.
 */
const UNROUTED_ANSWERS: Readonly<Record<number, string>> = {
  400: 'BadRequestTarget',
  401: 'Unauthenticated',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  414: 'UriTooLong',
  // Admission control answers before routing matters: at the in-flight limit, or shutting down.
  503: 'ServiceUnavailable',
};

/**
 * Answers the HTTP server gives before it has parsed the request, so whatever its target:
 * they must conform to the document's generic answer for them.
 */
const UNPARSED_ANSWERS: Readonly<Record<number, string>> = { 408: 'RequestTimeout', 431: 'HeadersTooLarge' };

type Documented = { readonly where: string; readonly response: ResponseObject } | { readonly missing: string };

/** The document's generic answer for this status in `answers`, or why there is none. */
function genericAnswer(contract: OpenApiContract, answers: Readonly<Record<number, string>>, status: number, why: string): Documented {
  const name = answers[status];
  const response = name === undefined ? undefined : contract.componentResponse(name);
  if (!response) return { missing: `${why}, and the document has no generic answer for status ${status}${name ? ` (components.responses.${name})` : ''}` };
  return { where: `components.responses.${name} (${why})`, response };
}

/** The response the document gives for this answer, or why it gives none. */
function documentedResponse(contract: OpenApiContract, answer: ObservedAnswer): Documented {
  if (UNPARSED_ANSWERS[answer.status] !== undefined) return genericAnswer(contract, UNPARSED_ANSWERS, answer.status, 'answered before the request was parsed');
  const method = answer.method.toUpperCase();
  // HEAD is the GET of the same path without a body (Fastify adds it to every GET route);
  // the document, like most, describes the GET only.
  const documentedMethod = method === 'HEAD' ? 'GET' : method;
  const match = matchRoute(contract.templates, answer.target);
  const operation = match.kind === 'route' ? contract.operation(documentedMethod, match.template.template) : undefined;
  if (match.kind === 'route' && operation) {
    const statuses = Object.keys(operation.responses);
    const status = String(answer.status);
    const key = [status, `${status[0]}XX`, 'default'].find((candidate) => statuses.includes(candidate));
    if (key === undefined) return { missing: `status ${status} is not documented for ${documentedMethod} ${match.template.template} (it documents ${statuses.join(', ')})` };
    return { where: `${documentedMethod} ${match.template.template} ${key}`, response: operation.responses[key]! };
  }
  const why = match.kind === 'route' ? `${match.template.template} takes no ${documentedMethod}` : match.reason;
  return genericAnswer(contract, UNROUTED_ANSWERS, answer.status, `no operation answers it (${why})`);
}

/** `text/plain; version=0.0.4` documents an answer of that media type with at least those parameters. */
function mediaTypeMatches(documented: string, actual: string): boolean {
  const [documentedType = '', ...documentedParameters] = documented.toLowerCase().split(';').map((part) => part.trim());
  const [actualType = '', ...actualParameters] = actual.toLowerCase().split(';').map((part) => part.trim().replace(/\s*=\s*/, '='));
  return documentedType === actualType && documentedParameters.every((parameter) => actualParameters.includes(parameter.replace(/\s*=\s*/, '=')));
}

const isJson = (mediaType: string) => /^application\/(.+\+)?json\b/i.test(mediaType);

function headerViolations(contract: OpenApiContract, response: ResponseObject, answer: ObservedAnswer): string[] {
  const violations: string[] = [];
  const documented = new Map(Object.entries(response.headers ?? {}).map(([name, header]) => [name.toLowerCase(), header]));
  for (const name of HEADERS_OF_INTEREST) {
    if (answer.header(name) !== undefined && !documented.has(name)) violations.push(`header ${name} is sent but not documented`);
  }
  for (const [name, header] of documented) {
    const value = answer.header(name);
    if (value === undefined) {
      if (header.required) violations.push(`required header ${name} is missing`);
      continue;
    }
    if (header.schema) violations.push(...contract.errorsOf(header.schema, value).map((error) => `header ${name}: ${JSON.stringify(value)} ${error}`));
  }
  return violations;
}

function bodyViolations(contract: OpenApiContract, response: ResponseObject, answer: ObservedAnswer): string[] {
  const content = response.content ?? {};
  const mediaTypes = Object.keys(content);
  const contentType = answer.header('content-type');
  if (mediaTypes.length === 0) return answer.text ? [`a body (${contentType ?? 'no Content-Type'}) where the document describes none`] : [];
  if (contentType === undefined) return answer.method.toUpperCase() === 'HEAD' ? [] : ['no Content-Type'];
  const mediaType = mediaTypes.find((documented) => mediaTypeMatches(documented, contentType));
  if (mediaType === undefined) return [`Content-Type ${contentType} is not documented (the document has ${mediaTypes.join(', ')})`];
  const schema = content[mediaType]!.schema;
  if (answer.text === undefined || answer.method.toUpperCase() === 'HEAD' || !schema) return [];
  if (!isJson(mediaType)) return contract.errorsOf(schema, answer.text).map((error) => `body ${error}`);
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [`the body is not JSON: ${answer.text.slice(0, 200)}`];
  }
  return contract.errorsOf(schema, body).map((error) => `body ${error}`);
}

/** What is wrong with an answer by the document, in words; empty when the document describes it. */
export function contractViolations(contract: OpenApiContract, answer: ObservedAnswer): string[] {
  const documented = documentedResponse(contract, answer);
  if ('missing' in documented) return [documented.missing];
  const violations = [...headerViolations(contract, documented.response, answer), ...bodyViolations(contract, documented.response, answer)];
  return violations.map((violation) => `${violation} [${documented.where}]`);
}

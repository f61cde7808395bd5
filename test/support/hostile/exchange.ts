import fc from 'fast-check';
import { assertDocumented, fetchedHeader } from '../contract';
import { withAuthorization } from '../http';
import type { TestApp } from '../test-app';
import type { HostileRequest } from './hostile-request';
import { rawRequest } from './raw-http';

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly requestId: string | undefined;
  readonly body: any;
  readonly text: string;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Sends a hostile request and checks its answer against the OpenAPI document, as `request` does. */
export async function send(app: TestApp, request: HostileRequest): Promise<Answer> {
  const headers = withAuthorization({ ...request.headers });
  if (request.body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  if (request.raw) {
    const result = await rawRequest(app.baseUrl, { method: request.method, target: request.path, headers: Object.entries(headers), body: request.body });
    await assertDocumented(app.baseUrl, { method: request.method, target: request.path, status: result.status, header: (name) => result.headers[name], text: result.text });
    return { status: result.status, contentType: result.headers['content-type'] ?? '', requestId: result.headers['x-request-id'], body: result.body, text: result.text };
  }
  let response: Response;
  try {
    response = await fetch(`${app.baseUrl}${request.path}`, { method: request.method, headers, body: request.body });
  } catch (error) {
    throw new Error(`no answer (${String(error)})\n${describeRequest(request)}`);
  }
  const contentType = response.headers.get('content-type') ?? '';
  // An event stream never ends by itself: its status and headers are the answer.
  const streaming = contentType.startsWith('text/event-stream');
  const text = streaming ? '' : await response.text();
  if (streaming) await response.body?.cancel();
  await assertDocumented(app.baseUrl, { method: request.method, target: request.path, status: response.status, header: fetchedHeader(response.headers), text: streaming ? undefined : text });
  return { status: response.status, contentType, requestId: response.headers.get('x-request-id') ?? undefined, body: parseJson(text, contentType), text };
}

function parseJson(text: string, contentType: string): unknown {
  if (!contentType.includes('json') || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What is wrong with an answer, if anything. */
export function verdict(request: HostileRequest, answer: Answer, isWrite: boolean): string[] {
  const wrong: string[] = [];
  if (answer.status >= 500) wrong.push('a 5xx');
  if (isWrite && !(answer.status >= 400 && answer.status < 500)) wrong.push('a write that was not refused with a 4xx');
  if (request.expect && !request.expect.includes(answer.status)) wrong.push(`expected ${request.expect.join(' or ')}`);
  const problem = answer.contentType.includes('application/problem+json') && typeof answer.body?.code === 'string' && answer.body.status === answer.status;
  if (answer.status >= 400 && !problem) wrong.push('the refusal is not a problem+json with a code');
  if (answer.requestId !== undefined && !REQUEST_ID.test(answer.requestId)) wrong.push('X-Request-Id echoed without sanitising');
  return wrong;
}

/** The same request, shown by fast-check as `describeRequest` does: bodies of 256 KiB stay readable. */
export function printedShort(request: HostileRequest): HostileRequest {
  return Object.defineProperty({ ...request }, fc.toStringMethod, { value: () => describeRequest(request), enumerable: false });
}

const cut = (text: string, max = 400) => (text.length > max ? `${text.slice(0, max)}... (${text.length} characters)` : text);

function describeRequest(request: HostileRequest): string {
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name, cut(value, 200)]));
  const body = Buffer.isBuffer(request.body) ? `<${request.body.length} bytes: ${request.body.subarray(0, 60).toString('hex')}...>` : request.body === undefined ? '<none>' : cut(JSON.stringify(request.body));
  return `request (${request.label}${request.raw ? ', raw socket' : ''}): ${request.method} ${cut(JSON.stringify(request.path))}\n  headers: ${JSON.stringify(headers)}\n  body (as a JS string literal): ${body}`;
}

export function describeExchange(request: HostileRequest, answer: Answer): string {
  return `${describeRequest(request)}\nanswer: ${answer.status} ${answer.contentType} ${cut(answer.text)}`;
}

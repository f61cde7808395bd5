import { assertDocumented, fetchedHeader } from './contract';
import { type HttpResult, bearer, post } from './http';
import { getAfter } from './read-model';
import type { TestApp } from './test-app';

// API keys made through the admin route, and requests sent exactly as one caller sends them.

/** A key made through the admin route: its id, its secret and the header that sends it. */
export interface IssuedKey {
  readonly id: string;
  readonly secret: string;
  readonly headers: Record<string, string>;
}

export interface NewKey {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly owner?: { readonly ownerType: string; readonly ownerRef: string };
  readonly expiresAt?: string;
  readonly rateLimitPerSecond?: number;
}

/** Makes an API key with the test admin key; throws when the service refuses, so setup never goes on half-built. */
export async function issueKey(baseUrl: string, key: NewKey): Promise<IssuedKey> {
  const created = await post(baseUrl, '/v1/api-keys', key);
  if (created.status !== 201) throw new Error(`key creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  return { id: created.body.key.id, secret: created.body.secret, headers: bearer(created.body.secret) };
}

/** Revokes a key with the test admin key. */
export async function revokeKey(baseUrl: string, keyId: string): Promise<void> {
  const revoked = await post(baseUrl, `/v1/api-keys/${keyId}/revoke`);
  if (revoked.status !== 200) throw new Error(`revoke failed: ${revoked.status} ${JSON.stringify(revoked.body)}`);
}

/** GET `path` with the given key once the read model has reached `position` (see getAfter). */
export const getAfterAs = <T = any>(app: TestApp, headers: Record<string, string>, path: string, position: string | bigint): Promise<HttpResult<T>> =>
  getAfter<T>(app, path, position, headers);

/** An answer as a caller sees it; the body is parsed when it is JSON, else kept as text. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

/**
 * One request with exactly these headers (unlike `request`, no admin key is added). An event
 * stream never ends, so once its headers arrive it is cut off and answers without a body.
 * Checked against the OpenAPI document as `request` is.
 */
export async function send(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const controller = new AbortController();
  const sent: Record<string, string> = { ...headers };
  if (body !== undefined) sent['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body), signal: controller.signal });
  const contentType = response.headers.get('content-type') ?? '';
  const checked = (text: string | undefined) => assertDocumented(baseUrl, { method, target: path, status: response.status, header: fetchedHeader(response.headers), text });
  if (method === 'HEAD' || contentType.startsWith('text/event-stream')) {
    controller.abort();
    await checked(undefined);
    return { status: response.status, headers: response.headers, body: undefined };
  }
  const text = await response.text();
  await checked(text);
  return { status: response.status, headers: response.headers, body: contentType.includes('json') && text ? JSON.parse(text) : text };
}

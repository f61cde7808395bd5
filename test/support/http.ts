import { assertDocumented, fetchedHeader } from './contract';

export interface HttpResult<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/**
 * The admin key every test app is started with (ADMIN_API_KEY); requests send it unless
 * their headers name an `authorization` of their own (an empty one sends none).
 */
export const TEST_ADMIN_KEY = 'wsk_test-admin-key-0123456789abcdefghijklmnopqr';

export const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

/** Headers with the test admin key unless they carry an authorization header already. */
export function withAuthorization(headers: Record<string, string> = {}): Record<string, string> {
  const { authorization, ...rest } = headers;
  if (authorization === undefined) return { ...rest, ...bearer(TEST_ADMIN_KEY) };
  return authorization === '' ? rest : { ...rest, authorization };
}

/**
 * A real HTTP request; the body is sent as given when it is a string, else as JSON. Every
 * answer is checked against the OpenAPI document (see contract.ts): one it does not describe
 * fails the spec that received it.
 */
export async function request<T = any>(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
  const init: RequestInit = { method, headers: withAuthorization(headers) };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, init);
  const text = await response.text();
  await assertDocumented(baseUrl, { method, target: path, status: response.status, header: fetchedHeader(response.headers), text });
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as T) : (undefined as T) };
}

export const post = <T = any>(baseUrl: string, path: string, body?: unknown, headers?: Record<string, string>) => request<T>(baseUrl, 'POST', path, body, headers);
export const get = <T = any>(baseUrl: string, path: string, headers?: Record<string, string>) => request<T>(baseUrl, 'GET', path, undefined, headers);

/** Opens a wallet and credits it, returning its id. */
export async function fundedWallet(baseUrl: string, amount: string, currency = 'USD'): Promise<string> {
  const opened = await post(baseUrl, '/v1/wallets', { type: 'main', currency });
  if (opened.status !== 201) throw new Error(`open failed: ${opened.status} ${JSON.stringify(opened.body)}`);
  if (amount !== '0') {
    const credited = await post(baseUrl, `/v1/wallets/${opened.body.id}/transactions`, { type: 'credit', amount });
    if (credited.status !== 201) throw new Error(`credit failed: ${credited.status} ${JSON.stringify(credited.body)}`);
  }
  return opened.body.id as string;
}

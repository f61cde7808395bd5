import createClient from 'openapi-fetch';
import type { components, paths } from './openapi';

export type Schemas = components['schemas'];
export type Wallet = Schemas['Wallet'];
export type Transaction = Schemas['Transaction'];
export type Group = Schemas['Group'];
export type FeedItem = Schemas['FeedItem'];
export type Problem = Schemas['Problem'];
export type { operations } from './openapi';

/**
 * The typed client of the API, generated from its OpenAPI document (src/api/openapi.d.ts,
 * `npm run openapi:types`). The key goes in the Authorization header of every call and
 * nowhere else: never in a URL, where logs and history would keep it.
 */
export function createApiClient(key: string) {
  const client = createClient<paths>({ baseUrl: window.location.origin });
  client.use({
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${key}`);
      return request;
    },
  });
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;

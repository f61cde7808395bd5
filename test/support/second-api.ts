import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@wallet/config';
import { createApp } from '../../apps/wallet-api/src/create-app';
import type { HttpResult } from './http';
import type { TestApp } from './test-app';

/** A second API process on the first one's database, for the tests of one describe block. */
export interface SecondApi {
  /** Its base URL, once the block's beforeAll has run. */
  readonly url: string;
  /** Even requests go to the first process, odd ones to the second. */
  either(index: number): string;
}

/** Starts a second API on the database of `first()` before the block's tests and closes it after them. */
export function useSecondApi(first: () => TestApp): SecondApi {
  let second: NestFastifyApplication | undefined;
  let url = '';
  beforeAll(async () => {
    const { database } = first();
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.url });
    second = await createApp({ config, databaseUrl: database.url });
    await second.listen({ port: 0, host: '127.0.0.1' });
    url = (await second.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => second?.close());
  return {
    get url() {
      return url;
    },
    either: (index) => (index % 2 === 0 ? first().baseUrl : url),
  };
}

/**
 * Each refusal is the domain's problem answer, or a retryable 503 WRITE_CONTENTION of a
 * command that kept losing a race with the other process.
 */
export function expectRefusedAs(results: readonly HttpResult[], status: number, code: string): void {
  for (const result of results) {
    expect(result.headers.get('content-type')).toContain('application/problem+json');
    if (result.body.code === 'WRITE_CONTENTION') expect(result.status).toBe(503);
    else expect(result.body).toMatchObject({ status, code });
  }
}

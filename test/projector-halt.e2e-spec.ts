import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@wallet/event-store';
import { get } from './support/http';
import { READ_SIDE_ENV } from './support/read-model';
import { type TestApp, startTestApp } from './support/test-app';

const metadata = { correlationId: 'halt-spec', causationId: 'halt-spec' };

/** The projector in the API process meets an event it cannot apply: the halt shows without the database. */
describe('a halted projector in the API process', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: READ_SIDE_ENV });
  });
  afterAll(() => app.close());

  it('turns /health/ready to 503 PROJECTOR_HALTED and wallet_projector_halted to 1, even with the record of it gone', async () => {
    const store = new PostgresEventStore(app.database.pool, { connectionString: app.database.url });
    const bad = await store.append(`wallet-${randomUUID()}`, [{ type: 'FundsCredited', schemaVersion: 99, data: {}, metadata }], 'any').finally(() => store.close());

    let ready = await get(app.baseUrl, '/health/ready');
    for (const deadline = Date.now() + 15_000; ready.body?.code !== 'PROJECTOR_HALTED' && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await get(app.baseUrl, '/health/ready');
    }
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ code: 'PROJECTOR_HALTED', detail: expect.stringContaining(`position ${bad.position}`) });
    expect(ready.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);

    // As if recording the halt had failed (a read-only database): memory still says so.
    await app.database.pool.query(`update read_model.projection_checkpoints set failed_position = null, failure = null where name = 'read_model'`);
    const stillHalted = await get(app.baseUrl, '/health/ready');
    expect(stillHalted.status).toBe(503);
    expect(stillHalted.body.code).toBe('PROJECTOR_HALTED');
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^wallet_projector_halted 1$/m);
  });
});

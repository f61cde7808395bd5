import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@wallet/config';
import { PROJECTOR_BATCH_HOOKS, ProjectorService, type ProjectorBatchHooks } from '@wallet/read-model';
import { appendWalletEvents, createStoreTestDatabase, dumpReadModel, type StoreTestDatabase, walletHistory, walletIdN } from '@wallet/testing';
import { ProjectorModule } from './projector.module';

class SimulatedCrash extends Error {}

/** Hooks that crash every batch before its commit, provided the way a crash test provides them. */
function crashHooksModule(batches: number[]): new () => unknown {
  const hooks: ProjectorBatchHooks = {
    beforeCommit: (batch) => {
      batches.push(batch.length);
      throw new SimulatedCrash('crashed before the commit');
    },
  };
  @Global()
  @Module({ providers: [{ provide: PROJECTOR_BATCH_HOOKS, useValue: hooks }], exports: [PROJECTOR_BATCH_HOOKS] })
  class CrashHooksModule {}
  return CrashHooksModule;
}

/** The projector worker's module takes its batch hooks from an optional provider, and runs without one. */
describe('ProjectorModule batch hooks', () => {
  let database: StoreTestDatabase;

  beforeEach(async () => {
    database = await createStoreTestDatabase();
    await appendWalletEvents(database.store, walletHistory(walletIdN(1), 5));
  });
  afterEach(() => database.drop());

  const apps: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  async function runProjector(extra: (new () => unknown)[]): Promise<ProjectorService> {
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: database.url, PROJECTOR_POLL_MS: '20' });
    @Module({ imports: [...extra, ProjectorModule.forRoot({ config, databaseUrl: database.url })] })
    class Root {}
    const app = await NestFactory.createApplicationContext(Root, { logger: false });
    const service = app.get(ProjectorService);
    apps.push(app);
    return service;
  }

  it('stops at the first batch a provided hook crashes, leaving the read model as it was', async () => {
    const batches: number[] = [];

    const service = await runProjector([crashHooksModule(batches)]);

    await expect(service.done).rejects.toBeInstanceOf(SimulatedCrash);
    expect(batches).toHaveLength(1);
    const { projection_checkpoints: checkpoints, ...tables } = await dumpReadModel(database.pool, 'read_model');
    expect(checkpoints).toMatchObject([{ name: 'read_model', position: '0', failed_position: null }]);
    expect(Object.values(tables).flat()).toEqual([]);
  });

  it('projects the log when no hooks are provided', async () => {
    const head = await database.store.headPosition();
    await runProjector([]);
    for (let attempt = 0; attempt < 500; attempt += 1) {
      const { rows } = await database.pool.query<{ position: string }>(`select position from read_model.projection_checkpoints where name = 'read_model'`);
      if (rows[0] && BigInt(rows[0].position) >= head) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`The projector did not reach position ${head}.`);
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_ADMIN_KEY, fundedWallet, post } from './support/http';
import { getAfter } from './support/read-model';
import { startTestApp, type TestApp } from './support/test-app';

/** examples/follow-events.ts, run for real, killed with SIGKILL half-way and started again. */
describe('the follow-events example consumer', () => {
  let app: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'follower-'));
  const statePath = join(dir, 'state.json');

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // One process (tsx as a loader, not its CLI, which runs the script in a child): SIGKILL
  // must reach the follower itself.
  const follower = (): ChildProcess =>
    spawn(process.execPath, ['--import', 'tsx', 'examples/follow-events.ts', '--url', app.baseUrl, '--state', statePath], {
      stdio: 'ignore',
      env: { ...process.env, WALLET_API_KEY: TEST_ADMIN_KEY },
    });
  const storedPosition = (): bigint => (existsSync(statePath) ? BigInt(JSON.parse(readFileSync(statePath, 'utf8')).position) : 0n);
  async function waitForPosition(position: bigint): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (storedPosition() < position && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('resumes after being killed with no loss and no duplicate effect', async () => {
    const wallets = [await fundedWallet(app.baseUrl, '100'), await fundedWallet(app.baseUrl, '250')];
    let last = '0';
    for (let i = 0; i < 20; i += 1) last = (await post(app.baseUrl, `/v1/wallets/${wallets[i % 2]}/transactions`, { type: i % 4 === 0 ? 'debit' : 'credit', amount: '7' })).body.position;
    const first = follower();
    await waitForPosition(BigInt(last) / 2n);
    first.kill('SIGKILL');
    for (let i = 0; i < 20; i += 1) last = (await post(app.baseUrl, `/v1/wallets/${wallets[i % 2]}/transactions`, { type: 'credit', amount: '3' })).body.position;
    const second = follower();
    await waitForPosition(BigInt(last));
    second.kill('SIGKILL');
    const totals = JSON.parse(readFileSync(statePath, 'utf8')).totals;
    expect(storedPosition()).toBe(BigInt(last));
    for (const walletId of wallets) {
      const wallet = await getAfter(app, `/v1/wallets/${walletId}`, last);
      expect(totals[walletId]).toBe(wallet.body.balance.ledger);
    }
  }, 90_000);
});

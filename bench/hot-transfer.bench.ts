import { envInteger } from './support/results';
import { reportTransfers } from './support/transfer-report';
import { runTransferScenario } from './support/transfer-scenario';
import { openWallets } from './support/wallet-client';

const SCENARIO = 'hot-transfer';
const WALLETS = envInteger('BENCH_WALLETS', 1_000);
const RATIO_TARGET = 3.0;
const P99_TARGET_MS = 150;
/** A system wallet (docs/system-wallets.md): no floor, it stands for the card processor. */
const SYSTEM_WALLET = { type: 'system-card-processor', currency: 'USD', overdraftLimit: 'unlimited' };

/**
 * Top-ups: every transfer goes from one system wallet (overdraft "unlimited") to a user
 * wallet drawn at random among BENCH_WALLETS, so every transfer touches the system wallet.
 * The floor does the same with its system account allowed to go negative, where every
 * transfer waits for that account's row lock. A third target, "api ×2", sends the same
 * load to two API processes on the database at once, half the connections each: both
 * decide transfers on the one hot wallet, through expected revisions. Reports transfers
 * per second and latencies against the floor, how evenly the two processes share, CPU per
 * transfer of every process, checks that the log holds a group for every 201 answered, and
 * shows how many groups shared one append. Prints tables and writes JSON to bench/results/.
 */
async function main(): Promise<void> {
  const run = await runTransferScenario({ api: 3092, floor: 3093, secondApi: 3091 }, async (baseUrl) => {
    const [systemId] = await openWallets(baseUrl, 1, 1, SYSTEM_WALLET);
    const userIds = await openWallets(baseUrl, WALLETS, 64);
    return {
      pick: () => [systemId!, userIds[Math.floor(Math.random() * userIds.length)]!] as const,
      floorAccounts: [{ id: systemId!, balance: 0n, allowNegative: true }, ...userIds.map((id) => ({ id, balance: 0n }))],
      described: `one system wallet and ${WALLETS} user wallets open, the same accounts in the floor`,
    };
  });
  reportTransfers(SCENARIO, run, { ratio: RATIO_TARGET, p99Ms: P99_TARGET_MS }, { wallets: WALLETS, systemWallet: SYSTEM_WALLET });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

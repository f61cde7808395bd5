import { envInteger } from './support/results';
import { reportTransfers } from './support/transfer-report';
import { runTransferScenario } from './support/transfer-scenario';
import { fundWallets, openWallets, randomPair } from './support/wallet-client';

const SCENARIO = 'transfer';
const WALLETS = envInteger('BENCH_WALLETS', 1_000);
/** Enough for every transfer of the run: no transfer is refused for lack of funds. */
const FUNDING = 1_000_000_000_000n;
const RATIO_TARGET = 1.0;

/**
 * Transfers between two distinct wallets drawn at random among BENCH_WALLETS, opened and
 * funded through the API, against the ledger floor (pgledger's create-transfer in one
 * plpgsql call, bench/support/ledger-floor.ts) on the same database with the same
 * accounts. Rounds alternate between the two. Reports transfers per second, latencies and
 * refusals, CPU per transfer of every process, checks that the log holds a group for every
 * 201 answered, and shows how many groups shared one append. Prints tables and writes JSON
 * to bench/results/.
 */
async function main(): Promise<void> {
  const run = await runTransferScenario({ api: 3094, floor: 3095 }, async (baseUrl) => {
    const walletIds = await openWallets(baseUrl, WALLETS, 64);
    await fundWallets(baseUrl, walletIds, FUNDING);
    return {
      pick: () => randomPair(walletIds),
      floorAccounts: walletIds.map((id) => ({ id, balance: FUNDING })),
      described: `${WALLETS} wallets open and funded with ${FUNDING}, the same accounts in the floor`,
    };
  });
  reportTransfers(SCENARIO, run, { ratio: RATIO_TARGET }, { wallets: WALLETS, funding: FUNDING.toString() });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

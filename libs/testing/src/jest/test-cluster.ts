/** Where the test suite's PostgreSQL lives, shared by global setup, teardown and every test file. */
export const TEST_CLUSTER = {
  dataDir: '.data/test',
  templateDatabase: 'wallet_test_template',
  /** Set by global setup: the server every test database is created on. */
  urlVariable: 'WALLET_TEST_SERVER_URL',
} as const;

/**
 * The fault suite (`npm run test:faults`): the service run as real processes, killed,
 * restarted, starved of its database. One file at a time, since each case loads the machine
 * and times what it sees; the main suite (`npm test`) leaves these files out.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testRegex: 'test/faults/.*\\.fault-spec\\.ts$',
  testTimeout: 120_000,
  maxWorkers: 1,
};

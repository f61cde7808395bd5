const base = require('../jest.config.js');
module.exports = { ...base, rootDir: '..', globalSetup: undefined, globalTeardown: undefined, testRegex: 'scratch-review/.*\\.scratch\\.ts$', maxWorkers: 1 };

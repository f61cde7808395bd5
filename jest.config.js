/** One Jest run for unit (*.spec.ts), integration (*.int-spec.ts) and end-to-end (*.e2e-spec.ts) tests. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: '.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // A few dependencies ship only ES modules; Jest on Node 20 loads them compiled to CommonJS.
    '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@wallet/domain$': '<rootDir>/libs/wallet-domain/src',
    '^@wallet/event-store$': '<rootDir>/libs/event-store/src',
    '^@wallet/event-store/(.*)$': '<rootDir>/libs/event-store/src/$1',
    '^@wallet/read-model$': '<rootDir>/libs/read-model/src',
    '^@wallet/config$': '<rootDir>/libs/config/src',
    '^@wallet/access$': '<rootDir>/libs/access/src',
    '^@wallet/postgres$': '<rootDir>/libs/postgres/src',
    '^@wallet/database$': '<rootDir>/libs/database/src',
    '^@wallet/testing$': '<rootDir>/libs/testing/src',
  },
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};

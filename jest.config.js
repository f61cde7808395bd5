const { pathsToModuleNameMapper } = require('ts-jest');
const { register } = require('tsconfig-paths');
const { compilerOptions } = require('./tsconfig.json');

// Global setup and teardown run in this process, outside the module map that
// moduleNameMapper applies to: the same aliases resolve here through tsconfig-paths.
register({ baseUrl: __dirname, paths: compilerOptions.paths });

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
  // The tsconfig's @wallet/* aliases, written once there.
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};

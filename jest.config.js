/**
 * `npm test`: the fast layer (every test file but the slow ones listed in
 * __tests__/layers.js). `npm run test:slow` uses jest.slow.config.js.
 * @type {import('jest').Config}
 */
const { SLOW } = require('./__tests__/layers');

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...Object.keys(SLOW).map((f) => `/__tests__/${escape(f)}$`)],
  // Transpile only: `npm run typecheck` type-checks the whole project once.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/__tests__/support/summary-reporter.js'],
  // Most of the suite waits on terraform and child processes: two workers
  // keep both cores busy (jest would use one on a 2-core machine).
  maxWorkers: 2,
  testTimeout: 120000,
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testMatch: ['**/*.test.ts'],
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

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 60000,
  // Integration tests start servers and child processes; two workers match the machines we run on.
  maxWorkers: 2,
  // After jest's summary, one line: how many tests were skipped and why (and, under CI, a failure if any was).
  reporters: ['default', '<rootDir>/test/support/skip-reporter.js'],
};

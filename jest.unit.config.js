/**
 * The unit tests alone (test/unit): what `npm run mutate` (StrykerJS, stryker.config.json) runs against each mutant.
 * ts-jest transpiles only (no type check): the mutants are type-checked once by Stryker's TypeScript checker.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/unit'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 60000,
};

// Native ESM all the way: lowdb@7 and uuid@14 ship ESM only, so the suite runs
// under `node --experimental-vm-modules` with ts-jest's ESM mode (see README).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testTimeout: 30000,
  // Two cores on CI: leave one for the emulator processes the contract tests spawn.
  maxWorkers: process.env.CI ? 2 : '50%',
};

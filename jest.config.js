// Native ESM all the way: lowdb@7 and uuid@14 ship ESM only, so the suite runs
// under `node --experimental-vm-modules` with ts-jest's ESM mode (see README).
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  // examples/ holds a user-facing jest example; it runs with the suite.
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // The examples import the package by name, as a user's code does; here it is the source.
    '^tencentcloud-emulator$': '<rootDir>/src/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testTimeout: 30000,
  // Two cores on CI: leave one for the emulator processes the contract tests spawn.
  maxWorkers: process.env.CI ? 2 : '50%',
  // Under --experimental-vm-modules a worker keeps every test file's module graph: ~700-800 MB by
  // the end of a run, which a loaded 2-core machine could not tear down within jest-worker's 500 ms,
  // so jest force-killed it and printed "A worker process has failed to exit gracefully". A worker
  // that has grown past this after a test file is replaced before the next one.
  workerIdleMemoryLimit: '384MB',
};

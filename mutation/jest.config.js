/**
 * The jest setup Stryker runs each mutant against: the project's config with only the fast, in-process
 * suites (no worker threads, child processes, browser or packaging), and a short test timeout so a
 * mutant that leaves a pending unsettled fails its test quickly instead of at the ordinary 20 s limit
 * (a wait no test bounds itself, an afterEach stopping the callers).
 * Tests that wait for a pending bound the wait themselves (spec/helpers/within.ts).
 */
const base = require('../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: '..',
  roots: ['<rootDir>/spec/lib', '<rootDir>/spec/operators', '<rootDir>/spec/schedulers', '<rootDir>/marble-tests'],
  testPathIgnorePatterns: ['/node_modules/', '/spec/schedulers/threads/'],
  // The slowest ordinary test takes well under 0.3 s; the few bulk tests set their own (SLOW_TEST_MS).
  testTimeout: 1500,
  // A mutant run loads only the test files that cover its mutant, cheapest kill first, and no file after
  // the first that fails (testFiles.js explains how).
  testEnvironment: require.resolve('./environment.js'),
  testSequencer: require.resolve('./testSequencer.js'),
  runner: require.resolve('./runner.js'),
};

/**
 * The jest setup for mutating the thread machinery: the thread suites that run in this process over a
 * MessageChannel (real workers load the built `dist/`, which Stryker does not mutate).
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/spec/schedulers/threads'],
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['**/wire.spec.ts', '**/ThreadPool.spec.ts', '**/ThreadCaller.spec.ts'],
};

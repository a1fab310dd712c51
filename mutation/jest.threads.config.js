/**
 * The jest setup for mutating the thread machinery: the thread suites that run in this process over a
 * MessageChannel. Suites that start real workers are left out: their workers load code Stryker does not
 * instrument, and they are slow.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/spec/schedulers/threads'],
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['**/wire.spec.ts', '**/ThreadPool.spec.ts', '**/compactBatch.spec.ts'],
};

// @ts-check
/**
 * Mutation testing of the thread machinery against the thread suites that run in-process
 * (`npm run mutation:threads`). Slower and less complete than the core run: the suites that start real
 * workers load the built `dist/`, which is not mutated.
 */
import base from './stryker.config.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  ...base,
  jest: { ...base.jest, configFile: 'mutation/jest.threads.config.js' },
  mutate: ['schedulers/threads/ThreadPool*.ts', 'schedulers/threads/internal/{PoolCall,callerTasks,serve,Serve,lostThread,syncWake,Link,Worker,Outbox,Endpoint,wire,compactBatch}*.ts'],
  htmlReporter: { fileName: 'reports/mutation-threads/index.html' },
  jsonReporter: { fileName: 'reports/mutation-threads/mutation.json' },
  tempDirName: '.stryker-tmp-threads',
};

export default config;

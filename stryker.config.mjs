// @ts-check
/**
 * Mutation testing of the core (`npm run mutation`; see CONTRIBUTING.md). Not part of `npm test`: it takes
 * tens of minutes. Narrow a run with `npm run mutation -- --mutate operators/gather.ts`.
 * The globs follow concepts, not file names, so a file split into `lib/Pending*.ts` or
 * `schedulers/Caller*.ts` pieces stays covered.
 */

/** What is mutated, by concept. */
export const core = [
  // Pending and PendingGroup, and the pieces of Pending's machinery that live beside them.
  'lib/Pending*.ts',
  'lib/internal/{cancellation,settle,settlement,pendingStates,linkSignal,waitWithTimeout,isThenable,membership,scheduleTimeout}*.ts',
  // The operators.
  'operators/{gather,asCompleted,wait}.ts',
  // Caller and its same-thread machinery (queue, asap rounds, in-flight calls, children, call kinds,
  // backends, methods, the static settings in CallerCore.ts).
  'schedulers/Caller*.ts',
  // The FIFO queue under each caller, the thread pool and the combinators.
  'lib/internal/ChunkQueue.ts',
  'schedulers/internal/{Caller,CallPending,RunQueue,asapRounds,InFlightCalls,childCallers,FunctionQueues,queueItems,backends,combinators}*.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'mutation/jest.config.js', enableFindRelatedTests: false },
  coverageAnalysis: 'perTest',
  mutate: core,
  // Tests under a mutant that hangs are cut by the short jest timeout (mutation/jest.config.js) and the
  // bounded waits in spec/helpers/within.ts; this is Stryker's own last resort per mutant run.
  timeoutMS: 4000,
  timeoutFactor: 1.5,
  concurrency: 1,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  ignorePatterns: ['dist', 'reports', 'coverage', 'bench', 'examples', '*.tgz', '.stryker-tmp*'],
  thresholds: { high: 90, low: 85, break: null },
};

export default config;

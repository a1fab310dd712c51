/**
 * jest's test runner, stopping a Stryker mutant run at its first failing test file: the files after it are
 * not loaded at all (see testFiles.js). The environment already skips the tests left in the failing file
 * and in later ones, but loading a later file (its environment, rxjs and the code under test) is most of
 * its cost. Every other run is jest's own, unchanged.
 */
const TestRunner = require('jest-runner').default;
const { activeMutant, mutantRun } = require('./testFiles.js');

class MutantTestRunner extends TestRunner {
  async runTests(tests, watcher, options) {
    if (activeMutant() === undefined || !options.serial) return super.runTests(tests, watcher, options);
    for (const test of tests) {
      if (mutantRun.failed || watcher.isInterrupted()) break;
      await super.runTests([test], watcher, options);
    }
  }
}

module.exports = MutantTestRunner;

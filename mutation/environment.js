/**
 * jest's node environment, noting during Stryker's dry run which test files cover which mutant and what
 * each costs, and skipping the rest of a mutant run once a test failed (see testFiles.js). Stryker wraps
 * it with its own coverage environment; outside Stryker it is jest's node environment.
 */
const fs = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');
const { mapFile, activeMutant, mutantRun } = require('./testFiles.js');

/**
 * For the whole dry run in this process: by mutant id, by test file, the milliseconds of its covering
 * tests; the mutants hit outside any test.
 */
const noted = { files: new Map(), outsideTests: new Set() };

class MutationEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.rootDir = config.projectConfig.rootDir;
    this.sawCoverage = false;
    this.testStartedAt = 0;
  }

  // Called by Stryker's wrapper before it clears the current test id.
  async handleTestEvent(event) {
    if (activeMutant() !== undefined) {
      // jest-circus reads the mode after test_start: a test started after a failure is skipped.
      if (event.name === 'test_start' && mutantRun.failed) event.test.mode = 'skip';
      if (event.name === 'test_done' && event.test.errors.length > 0) mutantRun.failed = true;
      return;
    }
    if (event.name === 'test_start') this.testStartedAt = Date.now();
    if (event.name !== 'test_done') return;
    const stryker = strykerContext(this.global);
    const testId = stryker?.currentTestId;
    if (testId === undefined) return;
    this.sawCoverage = true;
    const ms = Date.now() - this.testStartedAt;
    for (const mutant of Object.keys(stryker.mutantCoverage?.perTest?.[testId] ?? {})) {
      let files = noted.files.get(mutant);
      if (files === undefined) noted.files.set(mutant, (files = {}));
      files[this.testPath] = (files[this.testPath] ?? 0) + ms;
    }
  }

  async teardown() {
    if (this.sawCoverage) {
      for (const mutant of Object.keys(strykerContext(this.global)?.mutantCoverage?.static ?? {})) noted.outsideTests.add(mutant);
      const map = { files: Object.fromEntries(noted.files), outsideTests: [...noted.outsideTests] };
      fs.writeFileSync(mapFile(this.rootDir), JSON.stringify(map));
    }
    await super.teardown();
  }
}

/** The context Stryker shares with a test file's global (its namespace is configurable). */
function strykerContext(global) {
  return global[global.__strykerGlobalNamespace__ ?? '__stryker__'];
}

module.exports = MutationEnvironment;

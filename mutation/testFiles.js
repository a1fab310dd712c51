/**
 * Which test files each mutant needs, so a mutant run loads only those files.
 *
 * Stryker's jest runner runs a mutant by starting jest over *every* test file with a name filter for the
 * tests that cover the mutant: jest still loads each file (its environment, its imports) to find the names,
 * which costs several seconds a mutant on this suite. The dry run (perTest coverage) knows better: the
 * environment below notes, after each test, the file it lives in under every mutant it hit, and writes the
 * map beside the sandbox's jest config; the sequencer then hands jest only the files that hold a covering
 * test. A mutant hit outside any test (while a file loads, or in a `beforeAll`) gets every file, as Stryker
 * runs every test for it. With no map (an ordinary jest run, or the map not written) nothing is filtered.
 *
 * A mutant run also stops at its first failing test (Stryker asks for that bail, which jest cannot do when
 * run from code): the environment skips every later test of the failing file, and the runner (runner.js)
 * loads no file after it. One failure kills the mutant; the rest would only cost time, most of all for a
 * mutant that makes every test wait until its bound. The sequencer hands a mutant its files cheapest
 * first (the dry run measures the covering tests' time in each).
 */
const path = require('node:path');

/** The map's file, in the jest root (the Stryker sandbox, removed after the run). */
function mapFile(rootDir) {
  return path.join(rootDir, '.stryker-test-files.json');
}

/** The mutant Stryker's jest runner has switched on in this process, if any. */
function activeMutant() {
  return process.env.__STRYKER_ACTIVE_MUTANT__;
}

/** The current mutant run: whether a test has failed in it yet (reset by the sequencer as a run starts). */
const mutantRun = { failed: false };

module.exports = { mapFile, activeMutant, mutantRun };

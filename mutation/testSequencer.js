/**
 * jest's sequencer, giving a Stryker mutant run only the test files that cover its mutant (see
 * testFiles.js), cheapest kill first, and starting each run with no failure seen. Every other run gets
 * every file, in jest's usual order.
 */
const fs = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;
const { mapFile, activeMutant, mutantRun } = require('./testFiles.js');

/** The dry run's map, read once per process (Stryker restarts its runner after a timeout). */
let map;

function readMap(rootDir) {
  if (map === undefined) {
    try {
      const read = JSON.parse(fs.readFileSync(mapFile(rootDir), 'utf8'));
      map = { files: read.files, outsideTests: new Set(read.outsideTests) };
    } catch {
      map = null;
    }
  }
  return map;
}

/**
 * The test files covering `mutant`, in the order to run them (undefined: every file). A run stops at its
 * first failing file (runner.js), so a killed mutant costs the files up to the first that kills it. With
 * no way to know which that is, files go cheapest first: loading the file plus its covering tests' time in
 * the dry run. (Taking a file with more covering tests as likelier to kill was tried: the marble suites,
 * with a hundred cheap covering tests that rarely kill, then came first and cost seconds a mutant.) A
 * surviving mutant runs them all, in any order. Loading is taken as the same for every file: in the dry
 * run it is dominated by compiling whatever the file is the first to import.
 */
const FILE_LOAD_MS = 250;

function testFilesOf(mutant, rootDir) {
  const read = readMap(rootDir);
  if (read === null || read.outsideTests.has(mutant)) return undefined;
  const files = read.files[mutant];
  if (files === undefined) return undefined;
  const cost = (file) => FILE_LOAD_MS + files[file];
  return new Map(
    Object.keys(files)
      .sort((a, b) => cost(a) - cost(b))
      .map((file, index) => [file, index]),
  );
}

class MutantTestFiles extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const mutant = activeMutant();
    mutantRun.failed = false;
    if (mutant === undefined || sorted.length === 0) return sorted;
    const order = testFilesOf(mutant, sorted[0].context.config.rootDir);
    if (order === undefined) return sorted;
    return sorted.filter((test) => order.has(test.path)).sort((a, b) => order.get(a.path) - order.get(b.path));
  }
}

module.exports = MutantTestFiles;

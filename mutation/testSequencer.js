/**
 * jest's sequencer, giving a Stryker mutant run only the test files that cover its mutant (see
 * testFiles.js), and starting each run with no failure seen. Every other run gets every file, in jest's
 * usual order.
 */
const fs = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;
const { mapFile, activeMutant, mutantRun } = require('./testFiles.js');

/** The dry run's map, read once per process (Stryker restarts its runner after a timeout). */
let map;

function testFilesOf(mutant, rootDir) {
  if (map === undefined) {
    try {
      const read = JSON.parse(fs.readFileSync(mapFile(rootDir), 'utf8'));
      map = { files: read.files, outsideTests: new Set(read.outsideTests) };
    } catch {
      map = null;
    }
  }
  if (map === null || map.outsideTests.has(mutant)) return undefined;
  const files = map.files[mutant];
  return files === undefined ? undefined : new Set(files);
}

class MutantTestFiles extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const mutant = activeMutant();
    mutantRun.failed = false;
    if (mutant === undefined || sorted.length === 0) return sorted;
    const files = testFilesOf(mutant, sorted[0].context.config.rootDir);
    return files === undefined ? sorted : sorted.filter((test) => files.has(test.path));
  }
}

module.exports = MutantTestFiles;

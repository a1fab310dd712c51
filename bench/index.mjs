// npm run bench [-- --quick] [-- --only <text>]: builds, then runs every *.bench.mjs here (or those whose
// name contains an argument: `node --expose-gc bench/index.mjs caller threads`), prints the detailed
// tables, then the goal table, and writes the goal rows to bench/results.json. `--only <text>` runs only
// the comparisons whose title or contender names contain the text (see harness.mjs).
import { readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { printRows, quick } from './harness.mjs';

const only = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--only');
const files = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.bench.mjs') && (only.length === 0 || only.some((o) => f.includes(o))));
if (files.length === 0) throw new Error(`No bench file matches ${only.join(', ')}`);
const started = performance.now();
const load = () => loadavg()[0].toFixed(2);
console.log(`# rxjs-caller benchmarks${quick ? ' (quick)' : ''} — node ${process.version}, ${availableParallelism()} cores, ${process.platform}/${process.arch}, load average ${load()}`);
if (typeof globalThis.gc !== 'function') console.log('  (run with node --expose-gc for the memory figures and a GC before each contender)');
// Memory first: once a call has run, AsyncLocalStorage's promise hooks (Node 20, 22) add ~70 B to every
// promise, the baseline Promise of the memory bench included.
files.sort((a, b) => Number(b.startsWith('memory')) - Number(a.startsWith('memory')) || a.localeCompare(b));
for (const file of files) {
  const mod = await import(new URL(file, import.meta.url));
  await mod.run();
}
const rows = printRows();
const out = new URL('results.json', import.meta.url);
writeFileSync(out, `${JSON.stringify({ node: process.version, quick, platform: `${process.platform}/${process.arch}`, cores: availableParallelism(), rows }, null, 2)}\n`);
const below = rows.filter((r) => !r.pass).length;
console.log(`\n${files.length} bench files in ${((performance.now() - started) / 1000).toFixed(0)} s, load average ${load()} at the end; ${below} of ${rows.length} rows below goal; written to bench/results.json.`);

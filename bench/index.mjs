// npm run bench: builds, then runs every *.bench.mjs here (or those whose name contains an argument:
// `node --expose-gc bench/index.mjs caller threads`), then prints the summary of the issues' targets.
import { readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { printTargets } from './harness.mjs';

const only = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.bench.mjs') && (only.length === 0 || only.some((o) => f.includes(o))));
if (files.length === 0) throw new Error(`No bench file matches ${only.join(', ')}`);
const started = performance.now();
const load = () => loadavg()[0].toFixed(2);
console.log(`# rxjs-caller benchmarks — node ${process.version}, ${availableParallelism()} cores, ${process.platform}/${process.arch}, load average ${load()}`);
if (typeof globalThis.gc !== 'function') console.log('  (run with node --expose-gc for the memory figures and a GC before each contender)');
// Memory first: once a call has run, AsyncLocalStorage's promise hooks add ~70 B to every promise,
// the baseline Promise of the memory bench included.
files.sort((a, b) => Number(b.startsWith('memory')) - Number(a.startsWith('memory')) || a.localeCompare(b));
for (const file of files) {
  const mod = await import(new URL(file, import.meta.url));
  await mod.run();
}
const missed = printTargets();
console.log(`\n${files.length} bench files in ${((performance.now() - started) / 1000).toFixed(0)} s, load average ${load()} at the end; ${missed} target(s) not met.`);

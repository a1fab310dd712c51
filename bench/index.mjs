// npm run bench: builds, then runs every *.bench.mjs here (or those named on the command line).
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
const files = readdirSync(new URL('.', import.meta.url)).filter((f) => f.endsWith('.bench.mjs') && (only.length === 0 || only.some((o) => f.includes(o))));
console.log(`# rxjs-caller benchmarks — node ${process.version}, ${(await import('node:os')).availableParallelism()} cores`);
for (const file of files.sort()) {
  const mod = await import(new URL(file, import.meta.url));
  await mod.run();
}

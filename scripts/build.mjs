// Builds dist/esm and dist/cjs from one tsconfig.build.json, each with its own declarations beside its
// JavaScript. Each output folder gets a package.json naming its module type, so Node reads its `.js` files
// right and TypeScript reads its `.d.ts` files as ESM or CJS types (no "masquerading" types), and the
// package's `sideEffects` list: bundlers read the package.json nearest to a file, which is this one, so
// without it every module would count as having side effects and nothing could be tree-shaken.
// BUILD_OUT_DIR builds elsewhere (the packaging test builds into a temp folder so it never deletes
// the dist/ other processes may be reading); it defaults to dist. `npm pack` and an install from git run
// this through the `prepare` script.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const out = process.env.BUILD_OUT_DIR || 'dist';
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = (dir, ...args) => execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', dir, '--declarationDir', dir, ...args], { stdio: 'inherit' });

rmSync(out, { recursive: true, force: true });
run(`${out}/esm`);
run(`${out}/cjs`, '--module', 'CommonJS', '--moduleResolution', 'Node10');
const { sideEffects } = JSON.parse(readFileSync('package.json', 'utf8'));
for (const [format, type] of [['esm', 'module'], ['cjs', 'commonjs']]) {
  const dir = `${out}/${format}`;
  mkdirSync(dir, { recursive: true });
  // './dist/esm/schedulers/worker.js' in package.json is './schedulers/worker.js' from dist/esm.
  const own = sideEffects.filter((path) => path.startsWith(`./dist/${format}/`)).map((path) => `./${path.slice(`./dist/${format}/`.length)}`);
  writeFileSync(`${dir}/package.json`, JSON.stringify({ type, sideEffects: own }) + '\n');
}

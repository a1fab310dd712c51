// Builds dist/esm (with declarations in dist/types) and dist/cjs from one tsconfig.build.json.
// Each output folder gets a package.json naming its module type, so Node reads `.js` files right.
// BUILD_OUT_DIR builds elsewhere (the packaging test builds into a temp folder so it never deletes
// the dist/ other processes may be reading); it defaults to dist.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const out = process.env.BUILD_OUT_DIR || 'dist';
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = (...args) => execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--declarationDir', `${out}/types`, ...args], { stdio: 'inherit' });

rmSync(out, { recursive: true, force: true });
run('--outDir', `${out}/esm`);
run('--module', 'CommonJS', '--moduleResolution', 'Node10', '--outDir', `${out}/cjs`);
for (const [dir, type] of [[`${out}/esm`, 'module'], [`${out}/cjs`, 'commonjs']]) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/package.json`, JSON.stringify({ type }) + '\n');
}

// Where an app's bytes go: bundles one of spec/package/bundles/<app>.mjs as the bundle-size test does
// (esbuild --bundle --minify --platform=browser --format=esm --splitting, against the built package) and
// prints each chunk (start or lazy) with the minified bytes every input file puts in it, largest first.
// Usage: `npm run build && npm run size:breakdown -- caller-observeOn` (`--ours` lists only this package's files).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const [app, ...flags] = process.argv.slice(2);
if (!app) throw new Error('Usage: node scripts/bundleBreakdown.mjs <app> [--ours] (an app is a file of spec/package/bundles/ without .mjs)');
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const root = mkdtempSync(join(realpathSync(tmpdir()), 'rxjs-caller-breakdown-'));
try {
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(repoRoot, join(root, 'node_modules', 'rxjs-caller'), 'dir');
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: [join(repoRoot, 'spec/package/bundles', `${app}.mjs`)],
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    splitting: true,
    outdir: join(root, 'out'),
    nodePaths: [join(root, 'node_modules')],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
  for (const [key, output] of Object.entries(result.metafile.outputs)) {
    if (!key.endsWith('.js')) continue;
    const contents = code.get(resolve(repoRoot, key));
    const imports = output.imports.map((i) => `${basename(i.path)} (${i.kind === 'dynamic-import' ? 'lazy' : 'static'})`).join(', ') || 'nothing';
    console.log(`\n${basename(key)}${output.entryPoint ? ' (entry)' : ''}: ${contents.length} B minified, ${gzipSync(contents, { level: 9 }).length} B gzip; imports ${imports}`);
    const inputs = Object.entries(output.inputs).filter(([path, input]) => input.bytesInOutput > 0 && (!flags.includes('--ours') || path.startsWith('dist/')));
    let ours = 0;
    for (const [path, input] of inputs.sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) {
      if (path.startsWith('dist/')) ours += input.bytesInOutput;
      console.log(`${String(input.bytesInOutput).padStart(7)}  ${path.replace(/^dist\/esm\//, '').replace(/^node_modules\//, '')}`);
    }
    console.log(`${String(ours).padStart(7)}  (this package, in all)`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

/**
 * Bundles small browser apps (spec/package/bundles/*.mjs) against the built package with esbuild as modern
 * browser bundlers ship them (`--bundle --minify --platform=browser --format=esm --splitting`: Angular's
 * esbuild application builder, Vite/Rollup and webpack all split a dynamic `import()` into a lazy chunk),
 * and reads what loads at start — the entry chunk and every chunk it imports statically, transitively —
 * apart from the lazy chunks, with the `node:` modules they name and the package files they hold.
 * 'rxjs-caller' resolves through a temp node_modules that links to this repo, so the package's `exports`
 * map and `sideEffects` decide, as in an app.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const repoRoot = resolve(__dirname, '../..');
const fixtures = join(__dirname, 'bundles');

/** One output file of an app's build. */
export interface Chunk {
  readonly file: string;
  /** Bytes, minified. */
  readonly minified: number;
  /** Bytes, gzipped (each chunk is fetched as a file of its own). */
  readonly gzip: number;
}

export interface BundleSize {
  readonly app: string;
  /** Bytes loaded at start (entry chunk and its static imports), minified. */
  readonly minified: number;
  /** Bytes loaded at start, each chunk gzipped on its own, summed. */
  readonly gzip: number;
  /** The chunks loaded at start, entry first. */
  readonly start: readonly Chunk[];
  /** The chunks loaded only by a dynamic `import()`. */
  readonly lazy: readonly Chunk[];
  /** `node:` modules named anywhere in the output (start and lazy chunks). */
  readonly nodeModules: readonly string[];
  /** Files of this package with code anywhere in the output, relative to the repo (`dist/esm/...`). */
  readonly packageFiles: readonly string[];
  /** Files of this package with code in the chunks loaded at start. */
  readonly startFiles: readonly string[];
}

/** A temp folder whose node_modules/rxjs-caller links to this repo, and an output folder; remove it when done. */
export function linkPackage(): { nodeModules: string; outdir: string; dispose(): void } {
  const root = mkdtempSync(join(realpathSync(tmpdir()), 'rxjs-caller-bundle-'));
  const nodeModules = join(root, 'node_modules');
  mkdirSync(nodeModules);
  symlinkSync(repoRoot, join(nodeModules, 'rxjs-caller'), 'dir');
  return { nodeModules, outdir: join(root, 'out'), dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** Bundles `bundles/<app>.mjs` (nothing is written: esbuild hands the chunks back) and measures it. */
export async function measure(app: string, link: { nodeModules: string; outdir: string }): Promise<BundleSize> {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: [join(fixtures, `${app}.mjs`)],
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    splitting: true,
    outdir: join(link.outdir, app),
    nodePaths: [link.nodeModules],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) throw new Error(`esbuild warned on ${app}: ${result.warnings.map((w) => w.text).join('; ')}`);
  const outputs = result.metafile.outputs;
  const code = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
  const contents = (key: string) => code.get(resolve(repoRoot, key))!;
  const entry = Object.keys(outputs).find((key) => outputs[key]!.entryPoint !== undefined)!;
  const startKeys = staticClosure(outputs, entry);
  const lazyKeys = Object.keys(outputs).filter((key) => !startKeys.includes(key) && key.endsWith('.js'));
  const chunk = (key: string): Chunk => ({ file: basename(key), minified: contents(key).length, gzip: gzipSync(contents(key), { level: 9 }).length });
  const start = startKeys.map(chunk);
  const text = [...startKeys, ...lazyKeys].map((key) => Buffer.from(contents(key)).toString('utf8')).join('\n');
  return {
    app,
    minified: sum(start.map((c) => c.minified)),
    gzip: sum(start.map((c) => c.gzip)),
    start,
    lazy: lazyKeys.map(chunk),
    nodeModules: [...new Set(text.match(/node:[a-z_/]+/g) ?? [])].sort(),
    packageFiles: filesIn(outputs, [...startKeys, ...lazyKeys]),
    startFiles: filesIn(outputs, startKeys),
  };
}

/** `entry` and every output it imports statically, transitively (a dynamic import starts a lazy chunk). */
function staticClosure(outputs: Metafile['outputs'], entry: string): string[] {
  const seen = [entry];
  for (let i = 0; i < seen.length; i++) {
    for (const { path, kind } of outputs[seen[i]!]!.imports) if (kind === 'import-statement' && outputs[path] !== undefined && !seen.includes(path)) seen.push(path);
  }
  return seen;
}

/** The package files with code in these outputs (metafile inputs also list files read and then tree-shaken away). */
function filesIn(outputs: Metafile['outputs'], keys: readonly string[]): string[] {
  return [...new Set(keys.flatMap((key) => Object.entries(outputs[key]!.inputs).filter(([path, input]) => path.startsWith('dist/') && input.bytesInOutput > 0).map(([path]) => path)))].sort();
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}

/** The issue's table, one row per app: what loads at start, the lazy chunks apart, and the `node:` modules named. */
export function table(sizes: readonly BundleSize[]): string {
  const lazy = (s: BundleSize) => s.lazy.map((c) => `${c.file} ${kb(c.minified)} / ${kb(c.gzip)}`).join(', ') || '—';
  const rows = sizes.map((s) => `| ${s.app} | ${s.start.length} | ${kb(s.minified)} | ${kb(s.gzip)} | ${lazy(s)} | ${s.nodeModules.join(', ') || '—'} |`);
  return ['| App | chunks at start | minified at start | gzip at start | lazy chunks (minified / gzip) | `node:` modules named |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

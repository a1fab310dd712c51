/**
 * Bundles small browser apps (spec/package/bundles/*.mjs) against the built package with esbuild as the
 * issue measured them (`--bundle --minify --platform=browser`, as ES modules), and reads their size, gzipped size, the
 * `node:` modules they name and the package files they hold. 'rxjs-caller' resolves through a temp
 * node_modules that links to this repo, so the package's `exports` map and `sideEffects` decide, as in an app.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const repoRoot = resolve(__dirname, '../..');
const fixtures = join(__dirname, 'bundles');

export interface BundleSize {
  readonly app: string;
  /** Bytes, minified. */
  readonly minified: number;
  /** Bytes, gzipped. */
  readonly gzip: number;
  /** `node:` modules the bundle names. */
  readonly nodeModules: readonly string[];
  /** Files of this package with code in the bundle, relative to the repo (`dist/esm/...`). */
  readonly packageFiles: readonly string[];
}

/** A temp folder whose node_modules/rxjs-caller links to this repo; remove it when done. */
export function linkPackage(): { nodeModules: string; dispose(): void } {
  const root = mkdtempSync(join(realpathSync(tmpdir()), 'rxjs-caller-bundle-'));
  const nodeModules = join(root, 'node_modules');
  mkdirSync(nodeModules);
  symlinkSync(repoRoot, join(nodeModules, 'rxjs-caller'), 'dir');
  return { nodeModules, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** Bundles `bundles/<app>.mjs` and measures it. */
export async function measure(app: string, nodeModules: string): Promise<BundleSize> {
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: [join(fixtures, `${app}.mjs`)],
    bundle: true,
    minify: true,
    platform: 'browser',
    // ES modules, as browser apps ship today (an IIFE differs by a few bytes and has no `import.meta`).
    format: 'esm',
    nodePaths: [nodeModules],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  if (result.warnings.length > 0) throw new Error(`esbuild warned on ${app}: ${result.warnings.map((w) => w.text).join('; ')}`);
  const code = result.outputFiles[0]!.contents;
  const text = Buffer.from(code).toString('utf8');
  return {
    app,
    minified: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    nodeModules: [...new Set(text.match(/node:[a-z_/]+/g) ?? [])].sort(),
    // What the output holds (metafile.inputs also lists files read and then tree-shaken away).
    packageFiles: Object.values(result.metafile.outputs).flatMap((output) => Object.entries(output.inputs).filter(([path, input]) => path.startsWith('dist/') && input.bytesInOutput > 0).map(([path]) => path)),
  };
}

export function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}

/** The issue's table, one row per app, plus the `node:` modules each names. */
export function table(sizes: readonly BundleSize[]): string {
  const rows = sizes.map((s) => `| ${s.app} | ${kb(s.minified)} | ${kb(s.gzip)} | ${s.nodeModules.join(', ') || '—'} |`);
  return ['| App | minified | gzip | `node:` modules named |', '|---|---|---|---|', ...rows].join('\n');
}

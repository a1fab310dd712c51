/**
 * The published package, checked the way users meet it: packed with `npm pack`, installed into a
 * temp project, and loaded by real Node processes with `require` and with `import`, plus a browser
 * bundle made by esbuild. Child processes are needed: jest's module system is neither Node's CJS nor
 * its ESM loader, and an `unhandledRejection` listener inside a test never fires.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decoys, makePackedProject, repoRoot, runBin, runJson, runScript, runTsc, type PackedProject } from './packedProject';

jest.setTimeout(60_000);

const subpaths = ['operators', 'schedulers', 'testing'] as const;

let pack: PackedProject;

beforeAll(() => {
  pack = makePackedProject();
}, 120_000);

afterAll(() => pack?.dispose());

/** Settles a Pending later, then awaits it: the smallest proof that a build's Pending works. */
const workingPending = `
  const p = new Pending();
  setTimeout(() => p.setResult(42), 0);
  const value = await p;
  const from = await Pending.from([1, 2, 3]);
  const cancelled = new Pending();
  cancelled.cancel('bye');
  const error = await cancelled.then(() => null, (e) => e);
  const result = { value, from, state: p.state, cancelled: error instanceof PendingCancelled, message: error.message };
`;

describe('package', () => {
  it('should build when packed from a clean clone (the prepare script), and pack the built files', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts['prepare']).toBe('node scripts/build.mjs');
    const files = pack.packedFiles;
    expect(files).toEqual(expect.arrayContaining(['package.json', 'dist/esm/index.js', 'dist/cjs/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.d.ts']));
    expect(files).toEqual(expect.arrayContaining(['dist/esm/package.json', 'dist/cjs/package.json']));
    for (const optional of ['README.md', 'CHANGELOG.md']) {
      if (existsSync(join(repoRoot, optional))) expect(files).toContain(optional);
    }
    for (const decoy of decoys) expect(files).not.toContain(decoy);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(f))).toEqual([]);
  });

  it('should mark each build folder with its module type and the modules with side effects', () => {
    // Bundlers read `sideEffects` from the package.json nearest to a file: the build folder's own.
    const sideEffects = ['./schedulers/worker.js', './schedulers/index.js', './schedulers/threads/internal/registerThreadPool.js'];
    expect(JSON.parse(readFileSync(join(pack.installed, 'dist/esm/package.json'), 'utf8'))).toEqual({ type: 'module', sideEffects });
    expect(JSON.parse(readFileSync(join(pack.installed, 'dist/cjs/package.json'), 'utf8'))).toEqual({ type: 'commonjs', sideEffects });
  });

  it('should map every entry point, types first for import and for require, to files that exist, and nothing under internal/', () => {
    type Branch = { types: string; default: string };
    const manifest = JSON.parse(readFileSync(join(pack.installed, 'package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, Branch>>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.exports).sort()).toEqual(['.', './angular', './operators', './package.json', './schedulers', './testing', './worker']);
    for (const [key, entry] of Object.entries(manifest.exports)) {
      expect(key).not.toMatch(/internal|\*/);
      const targets: string[] = [];
      if (typeof entry === 'string') targets.push(entry);
      else {
        // Per-condition types: ESM declarations for import, CJS ones for require (no "masquerading" types).
        expect(Object.keys(entry)).toEqual(['import', 'require']);
        for (const [condition, branch] of Object.entries(entry)) {
          expect(Object.keys(branch)).toEqual(['types', 'default']);
          const folder = condition === 'import' ? 'esm' : 'cjs';
          expect([branch.types, branch.default]).toEqual([expect.stringMatching(`^\\./dist/${folder}/.*\\.d\\.ts$`), expect.stringMatching(`^\\./dist/${folder}/.*\\.js$`)]);
          targets.push(branch.types, branch.default);
        }
      }
      for (const target of targets) {
        expect(target).not.toMatch(/internal|\*/);
        expect(existsSync(join(pack.installed, target))).toBe(true);
      }
    }
    expect(Object.keys(manifest.peerDependencies)).toEqual(['rxjs', '@angular/core']);
    // Angular is needed by rxjs-caller/angular only: an optional peer, never installed for other apps.
    expect(manifest.peerDependenciesMeta).toEqual({ '@angular/core': { optional: true } });
    expect(Object.keys(manifest.dependencies)).toEqual(['tslib']);
  });

  it('should give a working Pending from require()', () => {
    const out = runJson<Record<string, unknown>>(
      pack.project,
      'require-root.cjs',
      `const { Pending, PendingCancelled } = require('rxjs-caller');
       (async () => {
         ${workingPending}
         console.log(JSON.stringify({ ...result, resolved: require.resolve('rxjs-caller') }));
       })();`,
    );
    expect(out).toEqual({
      value: 42,
      from: 3,
      state: 'fulfilled',
      cancelled: true,
      message: 'Pending was cancelled: bye',
      resolved: join(pack.installed, 'dist/cjs/index.js'),
    });
  });

  it('should give a working Pending from import', () => {
    const out = runJson<Record<string, unknown>>(
      pack.project,
      'import-root.mjs',
      `import { Pending, PendingCancelled } from 'rxjs-caller';
       ${workingPending}
       console.log(JSON.stringify({ ...result, resolved: import.meta.resolve('rxjs-caller') }));`,
    );
    expect(out).toEqual({
      value: 42,
      from: 3,
      state: 'fulfilled',
      cancelled: true,
      message: 'Pending was cancelled: bye',
      resolved: pathToFileURL(join(pack.installed, 'dist/esm/index.js')).href,
    });
  });

  it('should resolve and load the subpath entries from require()', () => {
    const out = runJson<Record<string, string>>(
      pack.project,
      'require-subpaths.cjs',
      `const out = {};
       for (const sub of ${JSON.stringify(subpaths)}) {
         const mod = require('rxjs-caller/' + sub);
         if (typeof mod !== 'object' || mod === null) throw new Error(sub + ' did not load');
         out[sub] = require.resolve('rxjs-caller/' + sub);
       }
       out['package.json'] = require('rxjs-caller/package.json').name;
       console.log(JSON.stringify(out));`,
    );
    expect(out).toEqual({
      operators: join(pack.installed, 'dist/cjs/operators/index.js'),
      schedulers: join(pack.installed, 'dist/cjs/schedulers/index.js'),
      testing: join(pack.installed, 'dist/cjs/lib/testing/index.js'),
      'package.json': 'rxjs-caller',
    });
  });

  it('should resolve and load the subpath entries from import', () => {
    const out = runJson<Record<string, string>>(
      pack.project,
      'import-subpaths.mjs',
      `const out = {};
       for (const sub of ${JSON.stringify(subpaths)}) {
         const mod = await import('rxjs-caller/' + sub);
         if (typeof mod !== 'object' || mod === null) throw new Error(sub + ' did not load');
         out[sub] = import.meta.resolve('rxjs-caller/' + sub);
       }
       const manifest = await import('rxjs-caller/package.json', { with: { type: 'json' } });
       out['package.json'] = manifest.default.name;
       console.log(JSON.stringify(out));`,
    );
    const url = (path: string) => pathToFileURL(join(pack.installed, path)).href;
    expect(out).toEqual({
      operators: url('dist/esm/operators/index.js'),
      schedulers: url('dist/esm/schedulers/index.js'),
      testing: url('dist/esm/lib/testing/index.js'),
      'package.json': 'rxjs-caller',
    });
  });

  it('should share per-thread state between the ESM and the CJS build loaded in one process', () => {
    const out = runJson<Record<string, unknown>>(
      pack.project,
      'dual.mjs',
      `import { createRequire } from 'node:module';
       import * as esm from 'rxjs-caller';
       const cjs = createRequire(import.meta.url)('rxjs-caller');
       const state = globalThis[Symbol.for('rxjs-caller.thread-state.v1')];
       const ours = Object.getOwnPropertySymbols(globalThis).filter((s) => String(s.description).startsWith('rxjs-caller'));
       // A handler set through the CJS build receives a failure of an ESM-built pending.
       const seen = [];
       cjs.config.onUnobservedError = (error) => seen.push(error.message);
       new esm.Pending().setException(new Error('from esm'));
       await new Promise((resolve) => setTimeout(resolve, 20));
       console.log(JSON.stringify({
         twoBuilds: esm.Pending !== cjs.Pending,
         stateIsObject: typeof state === 'object' && state !== null,
         sameConfig: esm.config === cjs.config && esm.config === state.config,
         symbols: ours.map(String),
         seen,
       }));`,
    );
    expect(out).toEqual({
      twoBuilds: true,
      stateIsObject: true,
      sameConfig: true,
      symbols: ['Symbol(rxjs-caller.thread-state.v1)'],
      seen: ['from esm'],
    });
  });

  it('should answer instanceof across the ESM and the CJS build loaded in one process', () => {
    const out = runJson<Record<string, boolean[]>>(
      pack.project,
      'dual-instanceof.mjs',
      `import { createRequire } from 'node:module';
       import * as esm from 'rxjs-caller';
       const cjs = createRequire(import.meta.url)('rxjs-caller');
       const both = (make, name) => [make(cjs) instanceof esm[name], make(esm) instanceof cjs[name]];
       const cancelled = async (lib) => {
         const p = new lib.Pending();
         p.cancel('dual');
         return p.then(() => null, (e) => e);
       };
       const [fromCjs, fromEsm] = [await cancelled(cjs), await cancelled(esm)];
       const caller = new cjs.Caller({ name: 'cjs-made' });
       const call = caller.callSoon(() => 1);
       const result = {
         twoBuilds: [esm.Pending !== cjs.Pending, esm.PendingCancelled !== cjs.PendingCancelled],
         pending: both((lib) => new lib.Pending(), 'Pending'),
         callPending: [call instanceof esm.Pending],
         caller: [caller instanceof esm.Caller, esm.Caller.current() instanceof cjs.Caller],
         group: both((lib) => new lib.PendingGroup(), 'PendingGroup'),
         cancelled: [fromCjs instanceof esm.PendingCancelled, fromEsm instanceof cjs.PendingCancelled],
         errors: ['PendingNotDone', 'DeadlockError', 'WorkerCrashedError', 'CallerStoppedError'].flatMap((name) => both((lib) => new lib[name](), name)),
         wrongClass: [fromCjs instanceof esm.PendingTimeout, new cjs.Pending() instanceof esm.Caller, {} instanceof esm.Pending],
       };
       await caller.stop();
       console.log(JSON.stringify(result));`,
    );
    expect(out).toEqual({
      twoBuilds: [true, true],
      pending: [true, true],
      callPending: [true],
      caller: [true, true],
      group: [true, true],
      cancelled: [true, true],
      errors: [true, true, true, true, true, true, true, true],
      wrongClass: [false, false, false],
    });
  });

  it('should not let anything under internal/ be reached through the exports map', () => {
    const attempts = [
      'rxjs-caller/internal/validate',
      'rxjs-caller/lib/internal/validate',
      'rxjs-caller/lib/internal/validate.js',
      'rxjs-caller/dist/cjs/lib/internal/validate.js',
      'rxjs-caller/dist/esm/lib/internal/context.js',
      'rxjs-caller/dist/esm/lib/Pending.js',
    ];
    const out = runJson<{ required: string[]; imported: string[] }>(
      pack.project,
      'internal.mjs',
      `import { createRequire } from 'node:module';
       const require = createRequire(import.meta.url);
       const attempts = ${JSON.stringify(attempts)};
       const required = [];
       const imported = [];
       for (const id of attempts) {
         try { require(id); required.push('loaded ' + id); } catch (e) { required.push(e.code); }
         try { await import(id); imported.push('loaded ' + id); } catch (e) { imported.push(e.code); }
       }
       console.log(JSON.stringify({ required, imported }));`,
    );
    const refused = attempts.map(() => 'ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(out).toEqual({ required: refused, imported: refused });
  });

  it.each([
    ['require', 'unobserved.cjs', `const { Pending } = require('rxjs-caller');`],
    ['import', 'unobserved.mjs', `import { Pending } from 'rxjs-caller';`],
  ])('should report a failed pending nobody observes, never as an unhandledRejection (%s)', (_kind, file, load) => {
    // No unhandledRejection listener: Node would print the rejection and exit with 1.
    const result = runScript(
      pack.project,
      file,
      `${load}
       new Pending().setException(new Error('nobody looks'));
       const cancelling = new Pending();
       cancelling.setCanceller(() => {});
       cancelling.cancel('stop');
       cancelling.setException(new Error('cancelled work failed'));
       const observed = new Pending();
       observed.then(() => {}, () => console.log('observed rejection handled'));
       observed.setException(new Error('seen'));
       process.on('exit', (code) => console.log('exit ' + code));`,
    );
    expect(result.stderr).not.toMatch(/unhandled|UnhandledPromiseRejection|triggerUncaughtException/i);
    expect(result.stdout.trim().split('\n')).toEqual(['observed rejection handled', 'exit 0']);
    expect(result.status).toBe(0);
    // The default config.onUnobservedError logs to the console, once, for the one unobserved failure.
    expect(result.stderr.match(/Error: nobody looks/g)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/cancelled work failed/);
  });

  it('should type-check a consumer against the packed declarations, from import and from require', () => {
    writeFileSync(
      join(pack.project, 'tsconfig.json'),
      JSON.stringify({
        // skipLibCheck off: the packed .d.ts files themselves must compile.
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          lib: ['es2022', 'esnext.disposable', 'dom'],
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          types: [],
        },
        files: ['consumer.mts', 'consumer.cts'],
      }),
    );
    writeFileSync(
      join(pack.project, 'consumer.mts'),
      `import { Pending, PendingCancelled, config } from 'rxjs-caller';
       import * as operators from 'rxjs-caller/operators';
       import * as schedulers from 'rxjs-caller/schedulers';
       import * as testing from 'rxjs-caller/testing';
       import { of, type ObservableInput } from 'rxjs';
       const p: Pending<number> = Pending.from(of(1));
       const input: ObservableInput<number> = p;
       const value: number = await p;
       // @ts-expect-error the packed types are real: a Pending<number> takes no string
       p.setResult('one');
       export const used = [input, value, PendingCancelled, config, operators, schedulers, testing];
      `,
    );
    writeFileSync(
      join(pack.project, 'consumer.cts'),
      `import rc = require('rxjs-caller');
       const p: rc.Pending<string> = new rc.Pending<string>();
       // @ts-expect-error the packed types are real: a Pending<string> takes no number
       p.setResult(1);
       export = p;
      `,
    );
    const result = runTsc(['-p', 'tsconfig.json'], pack.project);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('should bundle for the browser with esbuild, rxjs external, with no node: import', () => {
    const out = runJson<{ errors: unknown[]; imports: string[]; text: string }>(
      pack.project,
      'bundle.cjs',
      `const esbuild = require(process.argv[2]);
       const result = esbuild.buildSync({
         stdin: {
           contents: "export * from 'rxjs-caller'; export * as operators from 'rxjs-caller/operators';" +
             " export * as schedulers from 'rxjs-caller/schedulers'; export * as testing from 'rxjs-caller/testing';",
           resolveDir: process.cwd(),
         },
         bundle: true,
         platform: 'browser',
         format: 'esm',
         external: ['rxjs', 'rxjs/*'],
         metafile: true,
         write: false,
         logLevel: 'silent',
       });
       const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
       console.log(JSON.stringify({ errors: result.errors, imports, text: result.outputFiles[0].text }));`,
      [require.resolve('esbuild', { paths: [repoRoot] })],
    );
    expect(out.errors).toEqual([]);
    expect(out.imports.filter((path) => path !== 'rxjs' && !path.startsWith('rxjs/'))).toEqual([]);
    expect(out.text).not.toMatch(/\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|\brequire\s*\(\s*["']node:|\bimport\s*["']node:/);
    expect(out.text).toContain('Pending was cancelled');
    // Angular lives in rxjs-caller/angular only: the other entries carry nothing of it.
    expect(out.text).not.toContain('@angular');
    expect(out.text).toMatch(/from "rxjs"/);
  });

  it('should type-check a consumer on node10 resolution (TypeScript\'s "module": "commonjs" default), subpaths included', () => {
    writeFileSync(
      join(pack.project, 'tsconfig.node10.json'),
      JSON.stringify({
        compilerOptions: { module: 'commonjs', moduleResolution: 'node10', target: 'es2022', lib: ['es2022', 'esnext.disposable', 'dom'], strict: true, skipLibCheck: false, noEmit: true, types: [] },
        files: ['consumer-node10.ts'],
      }),
    );
    writeFileSync(
      join(pack.project, 'consumer-node10.ts'),
      `import { Pending } from 'rxjs-caller';
       import { gather } from 'rxjs-caller/operators';
       import { Caller } from 'rxjs-caller/schedulers';
       import { createCallerTestScheduler } from 'rxjs-caller/testing';
       const p: Pending<number> = new Pending<number>();
       // @ts-expect-error the packed types are real: a Pending<number> takes no string
       p.setResult('one');
       export const used = [gather, Caller, createCallerTestScheduler];
      `,
    );
    const result = runTsc(['-p', 'tsconfig.node10.json'], pack.project);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('should be clean under arethetypeswrong: every entry point on node10, node16 (CJS and ESM) and bundler', () => {
    const result = runBin('attw', [pack.tarball, '--format', 'json', '--no-definitely-typed'], pack.project);
    // `problems` groups what attw found by kind: 'NoResolution' (node10 subpaths), 'FalseCJS' (masquerading)…
    const report = JSON.parse(result.stdout) as { analysis: { entrypoints: Record<string, unknown> }; problems: Record<string, unknown[]> };
    expect({ problems: report.problems, status: result.status }).toEqual({ problems: {}, status: 0 });
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(['.', './angular', './operators', './package.json', './schedulers', './testing', './worker']);
  });

  it('should be clean under publint, suggestions included', () => {
    const result = runBin('publint', ['run', pack.tarball, '--level', 'suggestion'], pack.project);
    expect(result.stdout.trim().split('\n').slice(-1)).toEqual(['All good!']);
    expect(result.status).toBe(0);
  });

  it('should ship source maps that carry their sources (the .ts files are not in the package)', () => {
    const maps = walk(join(pack.installed, 'dist')).filter((file) => file.endsWith('.js.map'));
    const scripts = walk(join(pack.installed, 'dist')).filter((file) => file.endsWith('.js'));
    expect(maps.length).toBe(scripts.length);
    for (const file of maps) {
      const map = JSON.parse(readFileSync(file, 'utf8')) as { sources: string[]; sourcesContent?: Array<string | null> };
      expect(map.sourcesContent?.length).toBe(map.sources.length);
      expect(map.sourcesContent!.every((text) => typeof text === 'string' && text.length > 0)).toBe(true);
    }
    const pendingMap = JSON.parse(readFileSync(join(pack.installed, 'dist/esm/lib/Pending.js.map'), 'utf8')) as { sourcesContent: string[] };
    expect(pendingMap.sourcesContent[0]).toContain('export class Pending<T>');
  });

  it('should ship a README that sends users to nothing outside the package', () => {
    const readme = readFileSync(join(pack.installed, 'README.md'), 'utf8');
    // The repository's own commands appear only in the section about working on a clone of the repository.
    const start = readme.indexOf('## Working on rxjs-caller');
    expect(start).toBeGreaterThan(0);
    const end = readme.indexOf('\n## ', start + 1);
    const section = readme.slice(start, end);
    expect(section).toContain('In a\nclone of the repository');
    expect(readme.slice(0, start) + readme.slice(end)).not.toMatch(/npm run demo|npm test|npm run bench|bench\/README\.md/);
    // A relative link must point at a file in the package; links to other sites are absolute.
    const relative = [...readme.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z]+:/i.test(target));
    expect(relative.filter((target) => !existsSync(join(pack.installed, target)))).toEqual([]);
  });
});

/** Every file under `dir`. */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

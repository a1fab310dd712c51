/**
 * Pay only for what you use (issue 12): browser apps bundled with esbuild against the built package carry
 * the thread and process code only when they use it, and stay within their size budgets. Prints the table
 * of every app, so a regression names its cause. Needs `npm run build` first (`npm test` does it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { linkPackage, measure, table, type BundleSize } from './bundleSizes';

const APPS = ['rxjs-observeOn-asap', 'caller-observeOn', 'rxjs-observable', 'rxjs-observable-from', 'pending', 'operators', 'toThread', 'threadCaller', 'schedulersEntry', 'lazyOperators'] as const;
type App = (typeof APPS)[number];

/** Apps that use threads: they must carry the thread code (so the checks below can fail both ways). */
const THREAD_APPS: readonly App[] = ['toThread', 'threadCaller', 'schedulersEntry'];
const LIGHT_APPS: readonly App[] = ['caller-observeOn', 'pending', 'operators'];

/**
 * The one `node:` name the core may carry: the AsyncLocalStorage probe of lib/internal/context.ts, a
 * `process.getBuiltinModule('node:async_hooks')` call that only runs in Node (no import a bundler resolves).
 */
const CORE_NODE_PROBE = 'node:async_hooks';

describe('bundle sizes', () => {
  const sizes = new Map<App, BundleSize>();

  beforeAll(async () => {
    if (!existsSync(join(__dirname, '..', '..', 'dist', 'esm', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    const link = linkPackage();
    try {
      for (const app of APPS) sizes.set(app, await measure(app, link));
    } finally {
      link.dispose();
    }
    console.log(`Bundle sizes (esbuild --bundle --minify --platform=browser --format=esm --splitting; what loads at start: the entry chunk and its static imports; KB = 1000 bytes, gzip -9 per chunk)\n\n${table([...sizes.values()])}`);
  }, 60_000);

  const gzip = (app: App) => sizes.get(app)!.gzip;
  const over = (app: App, baseline: App) => gzip(app) - gzip(baseline);

  // Budgets: issue 12 asks for +7 KB (Caller), +4 KB (Pending) and +8 KB (operators). Where an app is
  // not there yet the test holds it at its measured size (plus less than 0.1 KB), so it cannot grow
  // unnoticed: issue 8's checks (validated options, the error sink, settlement order), issue 9's zone
  // support, issue 10's cross-build brands and Settled records and issue 11's fair rounds added 0.2-0.9 KB
  // gzip each; Pending.from's own ObservableInput conversion (lib/internal/fromInput.ts) took rxjs's
  // `from` out of the Pending and operator apps (-2 KB), the Caller combinators' use of it and of a plain
  // Observable instead of a Subject took -0.6 KB out of every Caller app, and the call frames and deadlock
  // search, reached through hooks that lib/internal/context.ts installs (lib/internal/frameHooks.ts), left
  // the Pending (-0.5 KB) and operator (-0.6 KB) apps; state kept in ES private fields and closures
  // (which minify to one letter), one pass over caller.get()'s children and the static settings kept
  // in Caller.ts took -0.6 KB out of every Caller app. What is left, and why a lazy `import()` of the
  // combinators does not help here, is in the README's size section.
  it('should keep an observeOn(caller) app within 13.12 KB gzip of the same app on asapScheduler (goal: 7 KB)', () => {
    // The largest part left: Caller's combinator methods (gather, wait, asCompleted, createPendingGroup and
    // the operators and PendingGroup behind them, 4.0 KB), which a class cannot leave out of a bundle.
    expect(over('caller-observeOn', 'rxjs-observeOn-asap')).toBeLessThanOrEqual(13_120);
  });

  it('should keep a Pending app within 4.74 KB gzip of an app using RxJS Observable alone (goal: 4 KB)', () => {
    // Left above the goal: RxJS's asyncScheduler (0.7 KB: DESIGN §4 times everything through RxJS's
    // schedulers) and the static `Pending.from` with its conversion (0.75 KB), which a class cannot drop.
    expect(over('pending', 'rxjs-observable')).toBeLessThanOrEqual(4_740);
  });

  it('should keep a Pending app within 4 KB gzip of an app using RxJS Observable and from (goal met)', () => {
    expect(over('pending', 'rxjs-observable-from')).toBeLessThanOrEqual(4_000);
  });

  it('should keep the operators with a Pending within 9.06 KB gzip of RxJS Observable alone (goal: 8 KB)', () => {
    expect(over('operators', 'rxjs-observable')).toBeLessThanOrEqual(9_060);
  });

  it('should keep the operators with a Pending within 8 KB gzip of its RxJS-only twin, which uses Observable and from as the app does (goal met)', () => {
    // The operators app feeds its operators with rxjs's `from` (2.4 KB gzip of the gap above is that `from`).
    expect(over('operators', 'rxjs-observable-from')).toBeLessThanOrEqual(8_000);
  });

  it.each(LIGHT_APPS)('should leave thread and process code out of the %s app', (app) => {
    const { nodeModules, packageFiles } = sizes.get(app)!;
    expect(nodeModules.filter((name) => name !== CORE_NODE_PROBE)).toEqual([]);
    expect(packageFiles.filter((file) => /schedulers\/(threads\/|ThreadCaller|ProcessCaller|worker)/.test(file))).toEqual([]);
  });

  it.each(['pending', 'operators'] as const)('should load no Caller code at start in the %s app, which makes no caller', (app) => {
    expect(sizes.get(app)!.startFiles.filter((file) => file.includes('/schedulers/'))).toEqual([]);
  });

  it.each(['pending', 'operators'] as const)('should leave the call frames and the deadlock search out of the %s app, which makes no caller or group (no frame can exist there)', (app) => {
    const files = sizes.get(app)!.packageFiles;
    expect(files.filter((file) => /lib\/internal\/(context|deadlock)\.js$/.test(file))).toEqual([]);
    expect(files).toContain('dist/esm/lib/internal/frameHooks.js');
  });

  it('should carry the call frames and the deadlock search in the caller app', () => {
    expect(sizes.get('caller-observeOn')!.packageFiles).toEqual(expect.arrayContaining(['dist/esm/lib/internal/context.js', 'dist/esm/lib/internal/deadlock.js']));
  });

  it('should load no operator or combinator code at start in the pending app', () => {
    expect(sizes.get('pending')!.startFiles.filter((file) => /\/(operators|schedulers)\/|PendingGroup/.test(file))).toEqual([]);
  });

  it('should count a chunk the entry imports statically as loaded at start, and a dynamically imported one apart', () => {
    const { start, lazy, startFiles, packageFiles } = sizes.get('lazyOperators')!;
    expect(start).toHaveLength(2);
    expect(lazy).toHaveLength(1);
    expect(startFiles).toEqual([]);
    expect(packageFiles).toContain('dist/esm/operators/gather.js');
    expect(gzip('lazyOperators')).toBe(start[0]!.gzip + start[1]!.gzip);
  });

  it.each(THREAD_APPS)('should carry the thread code in the %s app, which uses threads', (app) => {
    const { nodeModules, packageFiles } = sizes.get(app)!;
    expect(nodeModules).toContain('node:worker_threads');
    expect(packageFiles).toContain('dist/esm/schedulers/threads/internal/spawnThread.js');
  });

  it('should carry the pool in apps that call toThread, and ThreadCaller in the one that makes a thread child', () => {
    expect(sizes.get('toThread')!.packageFiles).toContain('dist/esm/schedulers/threads/ThreadPool.js');
    expect(sizes.get('schedulersEntry')!.packageFiles).toEqual(expect.arrayContaining(['dist/esm/schedulers/threads/ThreadPool.js', 'dist/esm/schedulers/ThreadCaller.js', 'dist/esm/schedulers/ProcessCaller.js']));
    expect(sizes.get('threadCaller')!.packageFiles).toContain('dist/esm/schedulers/ThreadCaller.js');
  });
});

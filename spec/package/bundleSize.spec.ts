/**
 * Pay only for what you use (issue 12): browser apps bundled with esbuild against the built package carry
 * the thread and process code only when they use it, and stay within their size budgets. Prints the table
 * of every app, so a regression names its cause. Needs `npm run build` first (`npm test` does it).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { linkPackage, measure, table, type BundleSize } from './bundleSizes';

const APPS = ['rxjs-observeOn-asap', 'caller-observeOn', 'rxjs-observable', 'rxjs-observable-from', 'pending', 'operators', 'toThread', 'threadCaller', 'schedulersEntry'] as const;
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
      for (const app of APPS) sizes.set(app, await measure(app, link.nodeModules));
    } finally {
      link.dispose();
    }
    console.log(`Bundle sizes (esbuild --bundle --minify --platform=browser; KB = 1000 bytes, gzip -9)\n\n${table([...sizes.values()])}`);
  }, 60_000);

  const gzip = (app: App) => sizes.get(app)!.gzip;
  const over = (app: App, baseline: App) => gzip(app) - gzip(baseline);

  // Issue 8's reliability checks (validated settings and options, the one error sink, cancellation-safe
  // next-only subscribers, settlement order, checks that survive hostile values) added 0.2-0.7 KB gzip to
  // the light apps; the four budgets below moved by what was measured then (they were 12.0, 6.5, 4.0, 8.0).
  it('should keep an observeOn(caller) app within 12.7 KB gzip of the same app on asapScheduler (goal: 7 KB)', () => {
    // Issue 12 asks for +7 KB; measured +11.7 KB after the thread layer left Caller's bundle (was +21.7 KB).
    // The rest is Caller's combinator methods (gather, wait, asCompleted, createPendingGroup and the
    // operators and PendingGroup behind them) and rxjs's `from`: see the README's size table.
    expect(over('caller-observeOn', 'rxjs-observeOn-asap')).toBeLessThanOrEqual(12_700);
  });

  it('should keep a Pending app within 6.7 KB gzip of an app using RxJS Observable alone (goal: 4 KB)', () => {
    // Issue 12 asks for +4 KB; measured +6.2 KB, 2.4 KB of it rxjs's own `from` (behind Pending.from).
    // Replacing `from` by our own conversion was measured: it made every app that uses rxjs's `from` or
    // `of` (most apps) bigger by 1 KB minified, for 2.1 KB less in this one; see the next budget.
    expect(over('pending', 'rxjs-observable')).toBeLessThanOrEqual(6_700);
  });

  it('should keep a Pending app within 4.3 KB gzip of an app using RxJS Observable and from (goal: 4 KB)', () => {
    expect(over('pending', 'rxjs-observable-from')).toBeLessThanOrEqual(4_300);
  });

  it('should keep the operators with a Pending within 8.55 KB gzip of RxJS alone', () => {
    expect(over('operators', 'rxjs-observable')).toBeLessThanOrEqual(8_550);
  });

  it.each(LIGHT_APPS)('should leave thread and process code out of the %s app', (app) => {
    const { nodeModules, packageFiles } = sizes.get(app)!;
    expect(nodeModules.filter((name) => name !== CORE_NODE_PROBE)).toEqual([]);
    expect(packageFiles.filter((file) => /schedulers\/(threads\/|ThreadCaller|ProcessCaller|worker)/.test(file))).toEqual([]);
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

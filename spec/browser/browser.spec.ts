/**
 * rxjs-caller in a real browser: the library's sources bundled by esbuild for the browser, run in
 * headless Chromium, each check executed in the page (spec/browser/page.ts) and its data asserted here.
 * The page runs plain (no SharedArrayBuffer, the common case) and cross-origin isolated (shared memory,
 * so a synchronous loop in a worker sees its cancellation), each with every check; and under a
 * Content-Security-Policy without 'unsafe-eval', where module tasks must still work.
 */
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { browserPath, describeInBrowser, reportBrowserAvailability } from './browserAvailability';
import { bundle, launch, serve, type Bundle, type PageKind } from './harness';
import type { CheckName, Checks } from './page';

let built: Bundle;
let server: Server | undefined;
let origin: string;
let browser: Browser | undefined;

beforeAll(async () => {
  built = await bundle();
  if (browserPath === undefined) return;
  ({ server, origin } = await serve(built.files));
  browser = await launch(browserPath);
});

describe('a browser for the browser suites', () => {
  reportBrowserAvailability();
});

afterAll(async () => {
  await browser?.close();
  if (server !== undefined) await new Promise((resolve) => server!.close(resolve));
});

describe('the browser bundle', () => {
  it('should hold one copy of rxjs, shared by the page, the worker entry and the task module', () => {
    const copies = Object.keys(built.metafile.inputs).filter((input) => /node_modules\/rxjs\/dist\/[^/]+\/internal\/Observable\.js$/.test(input));
    expect(copies).toHaveLength(1);
    // The library's core (its per-thread state among it) lives in one shared chunk, not once per entry.
    const withCore = [...built.files].filter(([, text]) => text.includes('rxjs-caller.thread-state.v1')).map(([name]) => name);
    expect(withCore).toHaveLength(1);
    expect(withCore[0]).toMatch(/^chunk-/);
  });
});

/**
 * Opens the page of `kind` for the enclosing describe, and fails each test that left uncaught page errors
 * or console errors (an unobserved pending failure is logged there, from the page or a worker).
 */
function usePage(kind: PageKind) {
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    page = await browser!.newPage();
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
    });
    await page.goto(`${origin}/${kind}/`);
    await page.waitForFunction(() => 'rxjsCallerChecks' in globalThis);
  });

  afterAll(async () => {
    await page?.close();
  });

  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });

  return {
    /** Runs one check in the page and returns its data. */
    check<K extends CheckName>(name: K): Promise<Awaited<ReturnType<Checks[K]>>> {
      return page.evaluate((n) => (globalThis as unknown as { rxjsCallerChecks: Checks }).rxjsCallerChecks[n]() as never, name);
    },
    /** Takes the problems a test expects (matching `pattern`); the others still fail it. */
    expectProblems(pattern: RegExp): string[] {
      const all = problems.splice(0);
      problems.push(...all.filter((problem) => !pattern.test(problem)));
      return all.filter((problem) => pattern.test(problem));
    },
  };
}

describeInBrowser.each(['plain', 'isolated'] as const)('rxjs-caller in Chromium (%s page)', (kind) => {
  const { check, expectProblems } = usePage(kind);

  it('should run where it is meant to: shared memory only when the page is cross-origin isolated', async () => {
    expect(await check('environment')).toEqual({ crossOriginIsolated: kind === 'isolated', sharedMemory: kind === 'isolated' });
  });

  it('should deliver observeOn(caller) values on the caller, in order', async () => {
    expect(await check('observeOn')).toEqual([
      { v: 1, onCaller: true },
      { v: 2, onCaller: true },
      { v: 3, onCaller: true },
    ]);
  });

  it('should run callSoon later, with Caller.current() and Caller.currentPending() set inside the call', async () => {
    expect(await check('callSoon')).toEqual({ ranSynchronously: false, value: { current: true, pending: true }, state: 'fulfilled', mainCallerOutside: true });
  });

  it('should keep the current pending for the synchronous part of a call only (no AsyncLocalStorage)', async () => {
    expect(await check('contextAcrossAwait')).toEqual({ before: true, after: false });
  });

  it('should await a Pending, and reject a cancelled one with PendingCancelled naming the reason', async () => {
    const result = await check('pending');
    expect(result).toEqual({
      awaited: { value: 42 },
      cancelledNow: true,
      cancelled: { error: 'PendingCancelled', message: expect.stringContaining('not needed') },
      state: 'cancelled',
      fromObservable: { value: 3 },
    });
  });

  it('should gather calls, promises, observables and thunks in order, and fail with a member error', async () => {
    expect(await check('gather')).toEqual({
      method: { value: [1, 2, 3, 4] },
      operator: { value: ['a', 'b'] },
      failed: { error: 'RangeError', message: 'bad member' },
    });
  });

  it('should say how to name the worker entry when a bundle has none configured', async () => {
    expect(await check('missingWorkerEntry')).toEqual({ error: 'Error', message: expect.stringContaining('config.workerEntry') });
  });

  it('should fail calls, not hang them, when the worker script cannot be loaded', async () => {
    const result = await check('missingWorkerScript');
    expect(result).toEqual({ pool: expect.objectContaining({ error: 'WorkerCrashedError' }), threadCall: expect.objectContaining({ error: 'WorkerCrashedError' }), threadState: 'stopped' });
    // The error names the entry that did not load and the setting to fix, not the call's task module.
    for (const failed of [result.pool, result.threadCall] as { message: string }[]) {
      expect(failed.message).toMatch(/The worker failed to load: the worker entry http:\/\/[^ ]+\/missing-worker\.js could not be loaded/);
      expect(failed.message).toContain('`config.workerEntry`');
      expect(failed.message).not.toContain('tasks');
    }
    // Chromium logs the 404 of the missing script: expected here, and only here.
    expectProblems(/404/);
  });

  it("should start the app's own bundled worker through config.createWorker, with task modules registered by name", async () => {
    const where = { value: { caller: expect.any(String), inWorker: true, hasPending: true } };
    expect(await check('workerFactory')).toEqual({
      pool: where,
      threadCall: { value: { caller: 'made-thread', inWorker: true, hasPending: true } },
      unregistered: { error: 'Error', message: expect.stringContaining('Could not load thread task module not-registered') },
      made: [undefined, 'made-thread'],
    });
  });

  it('should name the factory when the worker it made cannot be loaded', async () => {
    expect(await check('missingMadeWorker')).toEqual({ threadCall: { error: 'WorkerCrashedError', message: expect.stringContaining('the worker made by `createWorker` could not be loaded') } });
    expectProblems(/404/);
  });

  it('should run an inline function on a Web Worker with toThread', async () => {
    expect(await check('toThreadInline')).toEqual({ value: { sum: 5, inWorker: true } });
  });

  it('should run a module task on a Web Worker, with its own pending there', async () => {
    expect(await check('toThreadModule')).toEqual({ value: { caller: expect.any(String), inWorker: true, hasPending: true } });
  });

  it('should bring a worker error back with its class name and message', async () => {
    expect(await check('toThreadError')).toEqual({ error: 'TypeError', message: 'thrown in the worker' });
  });

  it('should carry a cancel into the Web Worker: the task signal aborts and the call ends cancelled', async () => {
    expect(await check('cancelIntoWorker')).toEqual({
      seen: ['started', 'aborted'],
      state: 'cancelled',
      result: { error: 'PendingCancelled', message: expect.stringContaining('the page changed its mind') },
    });
  });

  it(
    kind === 'isolated'
      ? 'should stop a synchronous loop in a Web Worker through its signal (shared memory)'
      : 'should stop a synchronous loop in a Web Worker by terminating it, and keep the pool working',
    async () => {
      expect(await check('cancelSyncLoop')).toEqual({
        // Without shared memory the loop never sees its signal: the worker is terminated instead.
        seen: kind === 'isolated' ? ['started', 'aborted'] : ['started'],
        state: 'cancelled',
        result: { error: 'PendingCancelled', message: expect.stringContaining('stop spinning') },
        next: { value: 'next call' },
      });
    },
  );

  it('should never fail a live switchMap search because a cancelled one hogged its worker, nor start the one dropped before it began', async () => {
    const rounds = await check('switchMapHog');
    expect(rounds).toEqual(Array.from({ length: 8 }, () => ({ results: { value: ['result:c'] }, starts: ['start:a', 'start:c'] })));
  });

  it('should answer calls on a ThreadCaller living in a Web Worker, and stop it', async () => {
    expect(await check('threadCaller')).toEqual({
      isChild: true,
      where: { value: { caller: 'browser-thread', inWorker: true, hasPending: true } },
      inline: { value: 'SHOUT' },
      nested: { value: { value: 42, inWorker: true } },
      streamed: { value: [0, 1, 2] },
      state: 'stopped',
    });
  });

  it('should let a Web Worker task call back to the page through Caller.main()', async () => {
    expect(await check('callsBack')).toEqual({ fromPool: { value: { inPage: true } }, fromThreadCaller: { value: { inPage: true } } });
  });

  it('should refuse runSync on the main thread with an error that points to toThread', async () => {
    expect(await check('runSyncOnMainThread')).toEqual({ error: 'Error', message: expect.stringContaining('toThread') });
  });
});

describeInBrowser('rxjs-caller in Chromium under a Content-Security-Policy without unsafe-eval', () => {
  const { check, expectProblems } = usePage('strict');

  it('should run module tasks on Web Workers (no eval needed)', async () => {
    expect(await check('toThreadModule')).toEqual({ value: { caller: expect.any(String), inWorker: true, hasPending: true } });
  });

  it('should answer a ThreadCaller module task', async () => {
    expect(await check('threadCallerModule')).toEqual({ value: { caller: 'strict-thread', inWorker: true, hasPending: true } });
  });

  it('should refuse an inline function with an error that says why (it is compiled from source)', async () => {
    expect(await check('toThreadInline')).toEqual({ error: 'EvalError', message: expect.stringContaining('unsafe-eval') });
    expectProblems(/unsafe-eval/);
  });
});

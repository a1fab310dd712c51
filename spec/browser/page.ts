/**
 * The script of the browser suite's page (bundled by esbuild with the library's sources, run in
 * Chromium). Each check returns plain data that browser.spec.ts asserts; checks run one at a time, each
 * on a caller of its own that it stops before returning, so no worker outlives its check.
 */
import { firstValueFrom, from, map, observeOn, of, range, Subject, switchMap, toArray } from 'rxjs';
import { Caller, config, gather, Pending, runSync, ThreadCaller, threadTask, transfer } from '../../index.js';
import type * as Tasks from './tasks.js';

// The one line a browser app needs for threads: where its bundle of the worker entry is.
config.workerEntry = new URL('./worker.js', import.meta.url);
// `caller.get({ thread })` needs ThreadCaller in the bundle: an app that makes thread children imports it
// (the page checks `instanceof ThreadCaller` below), and a bundler then keeps ThreadCaller's registration.

const tasksUrl = new URL('./tasks.js', import.meta.url);
const task = <K extends keyof typeof Tasks>(name: K) => threadTask<(typeof Tasks)[K]>(tasksUrl, name);

/** Runs `body` on a fresh caller, then stops it (ending its workers) and waits until it has stopped. */
async function withCaller<T>(name: string, body: (caller: Caller) => Promise<T>): Promise<T> {
  const caller = new Caller({ name });
  try {
    return await body(caller);
  } finally {
    caller.stop();
    await caller.stopped;
  }
}

/** What an awaited pending ended with, as data: its value, or its error's name and message. */
async function outcome<T>(pending: PromiseLike<T>): Promise<{ value: T } | { error: string; message: string }> {
  try {
    return { value: await pending };
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
}

/** A MessagePort the worker reports on, and a wait for each message it sends. */
function reporter() {
  const { port1, port2 } = new MessageChannel();
  const seen: string[] = [];
  const waiters = new Map<string, () => void>();
  port1.onmessage = (event: MessageEvent<string>) => {
    seen.push(event.data);
    waiters.get(event.data)?.();
  };
  const when = (message: string) => (seen.includes(message) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(message, resolve)));
  return { port: transfer(port2, [port2]), seen, when, close: () => port1.close() };
}

const checks = {
  environment: async () => ({ crossOriginIsolated, sharedMemory: typeof SharedArrayBuffer === 'function' }),

  observeOn: () =>
    withCaller('ui', async (caller) => {
      // Each value is delivered by the caller: Caller.current() is it while the value flows on.
      return firstValueFrom(range(1, 3).pipe(observeOn(caller), map((v) => ({ v, onCaller: Caller.current() === caller })), toArray()));
    }),

  callSoon: () =>
    withCaller('ui', async (caller) => {
      const pending: Pending<{ current: boolean; pending: boolean }> = caller.callSoon(() => {
        return { current: Caller.current() === caller, pending: Caller.currentPending() === pending };
      });
      // callSoon never runs the function in the calling frame.
      const ranSynchronously = pending.done;
      const value = await pending;
      return { ranSynchronously, value, state: pending.state, mainCallerOutside: Caller.current() !== caller };
    }),

  contextAcrossAwait: () =>
    withCaller('ui', async (caller) => {
      const pending: Pending<{ before: boolean; after: boolean }> = caller.callSoon(async () => {
        const before = Caller.currentPending() === pending;
        await Promise.resolve();
        return { before, after: Caller.currentPending() === pending };
      });
      return pending;
    }),

  pending: () =>
    withCaller('ui', async (caller) => {
      const bare = new Pending<number>();
      caller.callSoon(() => bare.setResult(42));
      const awaited = await outcome(bare);
      const later = caller.callLater(60_000, () => 'too late');
      const cancelledNow = later.cancel('not needed');
      const cancelled = await outcome(later);
      const fromObservable = await outcome(Pending.from(of(1, 2, 3)));
      return { awaited, cancelledNow, cancelled, state: later.state, fromObservable };
    }),

  gather: () =>
    withCaller('ui', async (caller) => {
      const method = await outcome(caller.gather<number>([caller.callSoon(() => 1), Promise.resolve(2), of(3), () => of(4)]));
      const operator = await outcome(firstValueFrom(from([caller.callSoon(() => 'a'), of('b')]).pipe(gather())));
      const failed = await outcome(
        caller.gather<number>([
          caller.callSoon(() => {
            throw new RangeError('bad member');
          }),
        ]),
      );
      return { method, operator, failed };
    }),

  missingWorkerEntry: () =>
    withCaller('pool', async (caller) => {
      const saved = config.workerEntry;
      config.workerEntry = undefined;
      try {
        return await outcome(caller.toThread((a: number) => a + 1, 1));
      } finally {
        config.workerEntry = saved;
      }
    }),

  missingWorkerScript: () =>
    withCaller('pool', async (caller) => {
      const missing = new URL('./missing-worker.js', import.meta.url);
      const saved = config.workerEntry;
      config.workerEntry = missing;
      try {
        const pool = await outcome(caller.toThread(() => 1));
        const thread = caller.get({ name: 'lost', thread: { workerEntry: missing } });
        const threadCall = await outcome(thread.callSoon(() => 1));
        thread.stop();
        await thread.stopped;
        return { pool, threadCall, threadState: thread.state };
      } finally {
        config.workerEntry = saved;
      }
    }),

  workerFactory: () =>
    withCaller('pool', async (caller) => {
      // The app's own bundled worker, registered task modules and all: no worker entry URL at all.
      const saved = config.workerEntry;
      config.workerEntry = undefined;
      const made: (string | undefined)[] = [];
      config.createWorker = ({ name }) => {
        made.push(name);
        return new Worker(new URL('./appWorker.js', import.meta.url), { type: 'module' });
      };
      const registered = threadTask<typeof Tasks.whereAmI>('browser-tasks', 'whereAmI');
      try {
        const pool = await outcome(caller.toThread(registered));
        const thread = caller.get({ name: 'made-thread', thread: true });
        const threadCall = await outcome(thread.callSoon(registered));
        thread.stop();
        await thread.stopped;
        const unregistered = await outcome(caller.toThread(threadTask('not-registered', 'whereAmI')));
        return { pool, threadCall, unregistered, made };
      } finally {
        config.createWorker = undefined;
        config.workerEntry = saved;
      }
    }),

  missingMadeWorker: () =>
    withCaller('pool', async (caller) => {
      const thread = caller.get({ name: 'lost', thread: { createWorker: () => new Worker(new URL('./missing-app-worker.js', import.meta.url), { type: 'module' }) } });
      const threadCall = await outcome(thread.callSoon(task('whereAmI')));
      thread.stop();
      await thread.stopped;
      return { threadCall };
    }),

  toThreadInline: () =>
    withCaller('pool', async (caller) =>
      outcome(caller.toThread((a: number, b: number) => ({ sum: a + b, inWorker: typeof document === 'undefined' && typeof postMessage === 'function' }), 2, 3)),
    ),

  toThreadModule: () => withCaller('pool', async (caller) => outcome(caller.toThread(task('whereAmI')))),

  toThreadError: () =>
    withCaller('pool', async (caller) =>
      outcome(
        caller.toThread(() => {
          throw new TypeError('thrown in the worker');
        }),
      ),
    ),

  cancelIntoWorker: () =>
    withCaller('pool', async (caller) => {
      const report = reporter();
      const pending = caller.toThread(task('untilCancelled'), report.port);
      await report.when('started');
      pending.cancel('the page changed its mind');
      await report.when('aborted');
      const result = await outcome(pending);
      report.close();
      return { seen: report.seen, state: pending.state, result };
    }),

  cancelSyncLoop: () =>
    withCaller('pool', async (caller) => {
      const grace = Caller.CANCEL_GRACE;
      // Without shared memory only terminating the worker can stop the loop: keep that wait short.
      if (!crossOriginIsolated) Caller.CANCEL_GRACE = 100;
      try {
        const report = reporter();
        const pending = caller.toThread(task('spinUntilCancelled'), report.port);
        await report.when('started');
        pending.cancel('stop spinning');
        const result = await outcome(pending);
        // The pool still works: the call after it gets a thread (a new one, if the old one was terminated).
        const next = await outcome(caller.toThread(() => 'next call'));
        report.close();
        return { seen: report.seen, state: pending.state, result, next };
      } finally {
        Caller.CANCEL_GRACE = grace;
      }
    }),

  switchMapHog: () =>
    withCaller('search', async (caller) => {
      const grace = Caller.CANCEL_GRACE;
      Caller.CANCEL_GRACE = 100;
      try {
        const rounds = [];
        // The eight runs: a search that ignores its cancel must never cost the live one its result.
        for (let round = 0; round < 8; round++) {
          // Each call reports on a port of its own (a port moves with the call that takes it).
          const starts: string[] = [];
          const ports: MessagePort[] = [];
          let started: ((term: string) => void) | undefined;
          const search = (term: string) => {
            const { port1, port2 } = new MessageChannel();
            ports.push(port1);
            port1.onmessage = (event: MessageEvent<string>) => {
              starts.push(event.data);
              started?.(event.data);
            };
            return caller.toThread(task('busySearch'), term, 300, transfer(port2, [port2]));
          };
          const whenStarted = (term: string) => (starts.includes(`start:${term}`) ? Promise.resolve() : new Promise<void>((resolve) => (started = (seen) => seen === `start:${term}` && resolve())));
          const terms = new Subject<string>();
          const results = outcome(firstValueFrom(terms.pipe(switchMap(search), toArray())));
          terms.next('a');
          await whenStarted('a');
          // 'b' is dropped in the same tick it was typed: it must never start.
          terms.next('b');
          terms.next('c');
          terms.complete();
          rounds.push({ results: await results, starts: starts.slice() });
          for (const port of ports) port.close();
        }
        return rounds;
      } finally {
        Caller.CANCEL_GRACE = grace;
      }
    }),

  threadCaller: () =>
    withCaller('parent', async (caller) => {
      const thread = caller.get({ name: 'browser-thread', thread: { workerEntry: new URL('./worker.js', import.meta.url) } });
      const isChild = caller.children.has(thread) && thread instanceof ThreadCaller;
      const where = await outcome(thread.callSoon(task('whereAmI')));
      const inline = await outcome(thread.callSoon((s: string) => s.toUpperCase(), 'shout'));
      const nested = await outcome(thread.callSoon(task('doubleOnNestedThread'), 21));
      const streamed = await outcome(firstValueFrom(thread.observe(task('count'), 3).pipe(toArray())));
      thread.stop();
      await thread.stopped;
      return { isChild, where, inline, nested, streamed, state: thread.state };
    }),

  threadCallerModule: () =>
    withCaller('parent', async (caller) => {
      const thread = caller.get({ name: 'strict-thread', thread: true });
      try {
        return await outcome(thread.callSoon(task('whereAmI')));
      } finally {
        thread.stop();
        await thread.stopped;
      }
    }),

  callsBack: () =>
    withCaller('parent', async (caller) => {
      const fromPool = await outcome(caller.toThread(task('askThePage')));
      const thread = caller.get({ name: 'asks-back', thread: true });
      try {
        return { fromPool, fromThreadCaller: await outcome(thread.callSoon(task('askThePage'))) };
      } finally {
        thread.stop();
        await thread.stopped;
      }
    }),

  runSyncOnMainThread: async () => {
    try {
      return { value: runSync(() => 1) };
    } catch (error) {
      return { error: (error as Error).name, message: (error as Error).message };
    }
  },
};

export type Checks = typeof checks;
export type CheckName = keyof Checks;
(globalThis as { rxjsCallerChecks?: Checks }).rxjsCallerChecks = checks;

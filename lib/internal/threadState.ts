import type { Pending } from '../Pending.js';
import { expectFunction } from './validate.js';

/**
 * State that must exist once per thread, even when the ESM and the CJS builds of this package are both
 * loaded in it (a task module that `import`s the package inside a worker started by the CJS build, say).
 * It lives on `globalThis` under a registered symbol so both copies find the same object.
 */
export interface ThreadState {
  /** Next caller id of this thread. */
  nextCallerId: number;
  /** Live callers by id (stopped ones are removed). Typed loosely: lib/ must not import schedulers/. */
  readonly callers: Map<number, object>;
  /** The thread's default caller, made by `Caller.current()` on first use. */
  defaultCaller: object | undefined;
  /** A handle to the main thread's caller when this thread is a worker; the default caller otherwise. */
  mainCaller: object | undefined;
  /** Node's AsyncLocalStorage when available (null once known to be missing). */
  storage: AsyncLocalStorageLike | null | undefined;
  /** The frame of the running call, for hosts without AsyncLocalStorage (synchronous part only). */
  syncFrame: Frame | undefined;
  /**
   * Whether a PendingGroup was ever made in this thread (by either build): before that no frame can belong
   * to one, and a call skips reading its frame to look for one (~80 ns a call under Node 20's async hooks).
   */
  groupMade?: boolean;
  /** User-settable configuration, shared by both builds. */
  readonly config: RxjsCallerConfig;
}

/** What runs right now: the caller, and the pending whose work it is (if any). */
export interface Frame {
  /** Undefined for a frame made outside any caller (a PendingGroup body): the thread's default caller then. */
  readonly caller: object | undefined;
  readonly pending: Pending<unknown> | undefined;
}

export interface AsyncLocalStorageLike {
  getStore(): unknown;
  enterWith(store: unknown): void;
  run<R, A extends unknown[]>(store: unknown, fn: (...args: A) => R, ...args: A): R;
}

/**
 * Global settings of rxjs-caller.
 *
 * @example
 * import { config } from 'rxjs-caller';
 * config.onUnobservedError = (error, pending) => myLogger.warn('lost failure', error, pending.metadata);
 */
export interface RxjsCallerConfig {
  /**
   * The one sink for errors nobody can catch (DESIGN §7). Called once, at the end of the tick, for a
   * pending that failed while nobody observed it (no subscriber, `then`, done callback, `result()` or
   * `exception()` read); never for cancellations. Called at once, with `pending` undefined where there is
   * none, for an error thrown by user code that has nothing else to carry it: a `callDirect` or
   * `queueCall` function, a done callback, a canceller. What it throws is written to the console (it
   * cannot report to itself); it never crashes the process. Setting anything but a function throws a
   * `TypeError`.
   * @default logs to `console.error`
   */
  onUnobservedError(error: unknown, pending?: Pending<unknown>): void;
  /**
   * The worker entry that threads start when no `workerEntry` thread option is given: the URL (or
   * path) of the package's `schedulers/worker.js`, or of your bundle of it. A browser bundle sets it once,
   * since a bundle has no file layout to find the entry from:
   * `config.workerEntry = new URL('./rxjs-caller-worker.js', import.meta.url)`. Inside a Web Worker
   * started from the entry it defaults to that worker's own script, so threads started there need nothing.
   * @default resolved next to the package (Node); none in a browser bundle
   */
  workerEntry?: string | URL | undefined;
  /**
   * Node's resource limits (in MB: `maxOldGenerationSizeMb`, `maxYoungGenerationSizeMb`,
   * `codeRangeSizeMb`, `stackSizeMb`) for the threads `toThread` starts from now on: a task that runs out
   * of this memory ends only its own thread, and its call fails with `WorkerCrashedError`.
   * @default none: threads get Node's defaults
   */
  poolResourceLimits?: { maxOldGenerationSizeMb?: number; maxYoungGenerationSizeMb?: number; codeRangeSizeMb?: number; stackSizeMb?: number } | undefined;
  /**
   * Makes the workers threads run, instead of starting `workerEntry`: for an app that bundles its own
   * worker, the pattern every bundler understands —
   * `config.createWorker = () => new Worker(new URL('./app.worker', import.meta.url), { type: 'module' })`,
   * where `app.worker.ts` imports `rxjs-caller/worker` and registers its task modules with
   * `registerTaskModule`. It may return a Web Worker or a Node `worker_threads` Worker running such a
   * script. `name` is the ThreadCaller's name (undefined for pool threads).
   * @default undefined (threads start `workerEntry`)
   */
  createWorker?: CreateWorker | undefined;
}

/** The part of a Web Worker (or of Node's `worker_threads.Worker`) that threads use. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  addEventListener?(type: string, listener: (event: any) => void, options?: { once?: boolean }): void;
}

/** Makes a worker that runs rxjs-caller's worker entry (with the app's task modules). */
export type CreateWorker = (options: { name?: string | undefined }) => WorkerLike;

const KEY = Symbol.for('rxjs-caller.thread-state.v1');

function defaultOnUnobservedError(error: unknown, pending?: Pending<unknown>): void {
  if (pending === undefined) console.error('rxjs-caller: an error was thrown where nobody could catch it:', error);
  else console.error(`rxjs-caller: a pending failed and nobody observed it: ${String(pending)}`, error);
}

/** The settings object: `onUnobservedError` is checked when set (a bad sink would fail only later, in a report). */
function makeConfig(): RxjsCallerConfig {
  let onUnobservedError: RxjsCallerConfig['onUnobservedError'] = defaultOnUnobservedError;
  return {
    get onUnobservedError() {
      return onUnobservedError;
    },
    set onUnobservedError(value) {
      expectFunction('config.onUnobservedError', value);
      onUnobservedError = value;
    },
  };
}

type Host = typeof globalThis & { [KEY]?: ThreadState };

export const threadState: ThreadState = ((globalThis as Host)[KEY] ??= {
  nextCallerId: 1,
  callers: new Map(),
  defaultCaller: undefined,
  mainCaller: undefined,
  storage: undefined,
  syncFrame: undefined,
  config: makeConfig(),
});

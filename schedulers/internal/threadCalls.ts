import type { Pending } from '../../lib/Pending.js';
import type { Caller } from '../Caller.js';
import type { ThreadPoolOptions } from '../threads/ThreadPool.js';
import { toTaskRef } from '../threads/internal/taskRef.js';
import type { AnyThreadTask } from '../threads/threadTask.js';

type PoolModule = typeof import('../threads/ThreadPool.js');
type AnyTask = AnyThreadTask | ((...args: never[]) => unknown);

/** The thread-pool module, once loaded; `toThread` loads it on first use, so apps that never call it do not carry it. */
let poolModule: PoolModule | undefined;
let loading: Promise<PoolModule> | undefined;
/** Calls made while the module loads: later calls wait behind them, so calls start in the order they were made. */
let waiting = 0;

/**
 * `caller.toThread()`: runs the call on the caller's pool of worker threads, made on first use. The pool's
 * module is loaded by a dynamic `import()` the first time (a bundler puts it in a chunk of its own): a
 * call made meanwhile waits in its pending, which a cancel or `stop()` settles at once.
 * @throws TypeError when `task` is neither a ThreadTask nor a self-contained function (`pending` is then
 *   rejected with the same error).
 */
/** The pool settings of a caller's `toThread`, read when needed (Caller's static settings). */
export type PoolSettings = Required<Pick<ThreadPoolOptions, 'maxIdle' | 'idleTimeout' | 'cancelGrace'>>;

export function runOnThread(caller: Caller, settings: PoolSettings, task: AnyTask, args: readonly unknown[], pending: Pending<unknown>): void {
  if (poolModule !== undefined && waiting === 0) {
    start(poolModule, caller, settings, task, args, pending);
    return;
  }
  try {
    // Bad input is refused now, as it is once the module is loaded.
    toTaskRef(task);
  } catch (error) {
    pending._markObserved();
    pending.setException(error);
    throw error;
  }
  waiting++;
  const release = caller._holdUntilStarted(pending);
  (loading ??= import('../threads/ThreadPool.js').then((loaded) => (poolModule = loaded))).then(
    (loaded) => {
      waiting--;
      release();
      if (pending.done) return;
      try {
        start(loaded, caller, settings, task, args, pending);
      } catch {
        // `run` settled the pending with the error it threw; nobody is left to throw it to.
      }
    },
    (error: unknown) => {
      waiting--;
      release();
      loading = undefined;
      pending.setException(error);
    },
  );
}

function start({ ThreadPool }: PoolModule, caller: Caller, settings: PoolSettings, task: AnyTask, args: readonly unknown[], pending: Pending<unknown>): void {
  caller._pool ??= new ThreadPool({ owner: caller, ...settings });
  caller._pool.run(task, args, pending);
}

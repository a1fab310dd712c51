import type { Pending } from '../../lib/Pending.js';
import type { Caller } from '../Caller.js';
import type { ThreadPool } from '../threads/ThreadPool.js';
import type { ThreadPoolOptions } from '../threads/ThreadPoolOptions.js';
import type { AnyThreadTask } from '../threads/threadTask.js';
import { runInZone, zoneOf } from '../../lib/internal/zones.js';

/** The pool settings of a caller's `toThread`, read when needed (Caller's static settings). */
export type PoolSettings = Required<Pick<ThreadPoolOptions, 'maxIdle' | 'idleTimeout' | 'cancelGrace' | 'resourceLimits'>>;

/**
 * The thread pool class, registered by the thread layer when it loads (threads/internal/registerThreadPool.ts,
 * imported by `threadTask`, `threadModule` and the `rxjs-caller/schedulers` entry): Caller never
 * imports it, so an app that never touches threads does not carry the pool.
 */
let Pool: typeof ThreadPool | undefined;

export function registerThreadPool(pool: typeof ThreadPool): void {
  Pool = pool;
}

/**
 * `caller.toThread()`: runs the call on the caller's pool of worker threads, made on first use.
 * @throws Error when no thread pool was loaded in this app (a bundle that left the thread layer out);
 *   TypeError when `task` is neither a ThreadTask nor a self-contained function.
 */
export function runOnThread(caller: Caller, settings: PoolSettings, task: AnyThreadTask | ((...args: never[]) => unknown), args: readonly unknown[], pending: Pending<unknown>): void {
  if (Pool === undefined) {
    const error = new Error(
      "caller.toThread() needs the thread pool, which this app's bundle left out: import 'rxjs-caller/schedulers' once in the app, or name the task with threadTask() or threadModule() (bundlers keep only the code an app imports)",
    );
    pending._markObserved();
    pending.setException(error);
    throw error;
  }
  const pool = (caller._pool ??= new Pool({ owner: caller, ...settings }));
  // A caller with a zone of its own (Angular's 'outside') starts its workers there, so their messages arrive there too.
  // (runInZone enters no zone where the caller has none: zoneOf() is undefined until zone.js is seen.)
  runInZone(zoneOf(caller), (call) => pool.run(task, args, call), pending);
}

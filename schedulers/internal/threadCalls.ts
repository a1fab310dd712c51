import type { Pending } from '../../lib/Pending.js';
import { Caller } from '../Caller.js';
import { ThreadPool } from '../threads/ThreadPool.js';
import type { AnyThreadTask } from '../threads/threadTask.js';

/** `caller.toThread()`: runs the call on the caller's pool of worker threads, made on first use. */
export function runOnThread(caller: Caller, task: AnyThreadTask | ((...args: never[]) => unknown), args: readonly unknown[], pending: Pending<unknown>): void {
  caller._pool ??= new ThreadPool({
    owner: caller,
    maxIdle: () => Caller.MAX_IDLE_POOL_INSTANCES,
    idleTimeout: () => Caller.IDLE_WORKER_SHUTDOWN_DURATION,
    cancelGrace: () => Caller.CANCEL_GRACE,
  });
  caller._pool.run(task, args, pending);
}

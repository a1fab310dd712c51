import type { SpawnThread } from './internal/spawnThread.js';
import type { ResourceLimits } from './ThreadOptions.js';

/** Options of a {@link ThreadPool}. Durations are read when needed, so changes apply at once. */
export interface ThreadPoolOptions {
  /** Threads running calls at once; more calls wait in FIFO order. @default the machine's parallelism */
  maxThreads?: number;
  /** Idle threads kept; more are shut down as they become idle. @default () => 10 */
  maxIdle?: () => number;
  /** Ms an idle thread is kept before it is shut down (0 or Infinity: kept). @default () => 60000 */
  idleTimeout?: () => number;
  /** Ms a cancelled call may keep its thread busy before the thread is terminated (Infinity: never). @default () => 1000 */
  cancelGrace?: () => number;
  /** Node's resource limits for each thread started from now on (an out-of-memory task then ends only its thread). @default () => undefined */
  resourceLimits?: () => ResourceLimits | undefined;
  /** The worker entry to start (a path or URL of the built `schedulers/worker.js`). @default resolved next to this package */
  workerEntry?: string | URL;
  /** The caller whose calls the pool runs: inside a task, `Caller.current().parent` is a handle to it. @default this thread's current caller */
  owner?: object;
  /** @internal Starts a thread (tests run threads in-process over a MessageChannel). */
  spawn?: SpawnThread;
}

import type { CreateWorker } from '../../lib/internal/threadState.js';

export type { CreateWorker, WorkerLike } from '../../lib/internal/threadState.js';

/**
 * How the thread of a `ThreadCaller` is started: `caller.get({ name, thread: options })`.
 *
 * @example
 * import { Caller } from 'rxjs-caller';
 * const worker = Caller.current().get({ name: 'images', thread: { resourceLimits: { maxOldGenerationSizeMb: 256 } } });
 */
export interface ThreadOptions {
  /**
   * The worker entry to start: a path or URL of the package's built `schedulers/worker.js` (or of a
   * bundle of it). Browser bundles, which have no file layout to find it from, usually set
   * `config.workerEntry` once instead.
   * @default `config.workerEntry`, else resolved next to this package
   */
  workerEntry?: string | URL;
  /**
   * Makes this thread's worker instead of starting `workerEntry`: a bundled worker that imports
   * `rxjs-caller/worker` (see `config.createWorker`).
   * @default `config.createWorker`, else the worker entry is started
   */
  createWorker?: CreateWorker;
  /** Node options for the worker thread (Node only). @default the process's own */
  execArgv?: string[];
  /**
   * Node's worker resource limits: a task that runs out of this memory ends only its thread (its call,
   * and calls it held, fail with `WorkerCrashedError`). Ignored in browsers.
   */
  resourceLimits?: ResourceLimits;
}

/** Node's worker resource limits, in MB (each a finite number > 0). */
export interface ResourceLimits {
  maxOldGenerationSizeMb?: number;
  maxYoungGenerationSizeMb?: number;
  codeRangeSizeMb?: number;
  stackSizeMb?: number;
}

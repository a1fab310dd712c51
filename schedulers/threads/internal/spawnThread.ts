import type { Endpoint, ThreadHost } from './Endpoint.js';
import { toEndpoint } from './Endpoint.js';
import { resolveWorkerEntry } from './workerEntry.js';

/** Options a thread is started with (a subset of {@link ThreadOptions}). */
export interface SpawnOptions {
  workerEntry?: string | URL;
  execArgv?: string[];
  resourceLimits?: Record<string, number>;
  name?: string;
}

/** Starts a thread running the worker entry: a Node `Worker`, or a browser module `Worker`. */
export type SpawnThread = (options: SpawnOptions) => ThreadHost;

type NodeWorker = {
  on(event: string, listener: (arg: never) => void): void;
  off(event: string, listener: (arg: never) => void): void;
  postMessage(message: unknown, transfer?: readonly object[]): void;
  terminate(): Promise<number>;
  ref(): void;
  unref(): void;
};
type WorkerThreads = { Worker: new (url: string | URL, options: object) => NodeWorker };
type NodeProcess = { getBuiltinModule?: (id: string) => unknown };

export const spawnThread: SpawnThread = (options) => {
  const entry = resolveWorkerEntry(options.workerEntry);
  const threads = (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
  if (threads !== undefined) return spawnNodeWorker(threads, entry.url, options.execArgv ?? entry.execArgv, options);
  if (typeof Worker === 'function') return spawnWebWorker(entry.url, options);
  throw new Error('rxjs-caller found no worker threads here: it needs Node >= 20.16 (worker_threads) or a browser with Web Workers');
};

function spawnNodeWorker(threads: WorkerThreads, url: string | URL, execArgv: string[] | undefined, options: SpawnOptions): ThreadHost {
  const worker = new threads.Worker(url, {
    ...(execArgv !== undefined && { execArgv }),
    ...(options.resourceLimits !== undefined && { resourceLimits: options.resourceLimits }),
    ...(options.name !== undefined && { name: options.name }),
  });
  let fatal: unknown;
  let exitListener: ((code: number, error: unknown) => void) | undefined;
  let exited = false;
  // 'error' (an uncaught exception in the worker) always comes before 'exit'.
  worker.on('error', (error: unknown) => {
    fatal ??= error;
  });
  worker.on('exit', (code: number) => {
    exited = true;
    exitListener?.(code, fatal);
  });
  return {
    endpoint: toEndpoint(worker),
    onExit(listener) {
      exitListener = listener;
    },
    terminate: () => (exited ? Promise.resolve() : worker.terminate().then(() => undefined)),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
  };
}

function spawnWebWorker(url: string | URL, options: SpawnOptions): ThreadHost {
  const worker = new Worker(url, { type: 'module', ...(options.name !== undefined && { name: options.name }) });
  let exitListener: ((code: number, error: unknown) => void) | undefined;
  let exited = false;
  const exit = (code: number, error: unknown) => {
    if (exited) return;
    exited = true;
    worker.terminate();
    exitListener?.(code, error);
  };
  // A browser worker lives on after an uncaught error, in an unknown state: treat it as a crash.
  worker.addEventListener('error', (event: ErrorEvent) => {
    event.preventDefault();
    exit(1, event.error ?? new Error(event.message || 'The worker failed to load or threw an uncaught error'));
  });
  const endpoint: Endpoint = toEndpoint(worker);
  return {
    endpoint,
    onExit(listener) {
      exitListener = listener;
    },
    terminate() {
      exit(0, undefined);
      return Promise.resolve();
    },
    ref() {},
    unref() {},
  };
}

import type { Endpoint, ThreadHost } from './Endpoint.js';
import { toEndpoint } from './Endpoint.js';
import { threadState } from '../../../lib/internal/threadState.js';
import { got } from '../../../lib/internal/validate.js';
import { resolveWorkerEntry } from './workerEntry.js';
import type { CreateWorker } from '../ThreadOptions.js';

/** Options a thread is started with (a subset of {@link ThreadOptions}). */
export interface SpawnOptions {
  workerEntry?: string | URL;
  createWorker?: CreateWorker;
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
  // An app's own bundled worker (it imports rxjs-caller/worker): the factory replaces the entry.
  const factory = options.createWorker ?? threadState.config.createWorker;
  if (factory !== undefined) return spawnMadeWorker(factory, options);
  const entry = resolveWorkerEntry(options.workerEntry);
  const threads = (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
  if (threads !== undefined) return spawnNodeWorker(threads, entry.url, options.execArgv ?? entry.execArgv, options);
  if (typeof Worker === 'function') return webWorkerHost(new Worker(entry.url, { type: 'module', ...(options.name !== undefined && { name: options.name }) }), `the worker entry ${String(entry.url)}`);
  throw new Error('rxjs-caller found no worker threads here: it needs Node >= 20.16 (worker_threads) or a browser with Web Workers');
};

function spawnMadeWorker(factory: CreateWorker, options: SpawnOptions): ThreadHost {
  if (typeof factory !== 'function') throw new TypeError(`Expected \`createWorker\` to be a function returning a Worker, got ${got(factory)}`);
  const worker = factory({ name: options.name });
  if (typeof (worker as { postMessage?: unknown } | null)?.postMessage !== 'function' || typeof (worker as { terminate?: unknown }).terminate !== 'function') {
    throw new TypeError(`Expected \`createWorker\` to return a Worker (a Web Worker or a worker_threads Worker), got ${got(worker)}`);
  }
  // A Web Worker is an EventTarget; Node's Worker is an EventEmitter.
  if (typeof (worker as { addEventListener?: unknown }).addEventListener === 'function') return webWorkerHost(worker as unknown as Worker, 'the worker made by `createWorker`');
  return nodeWorkerHost(worker as unknown as NodeWorker);
}

function spawnNodeWorker(threads: WorkerThreads, url: string | URL, execArgv: string[] | undefined, options: SpawnOptions): ThreadHost {
  const worker = new threads.Worker(url, {
    ...(execArgv !== undefined && { execArgv }),
    ...(options.resourceLimits !== undefined && { resourceLimits: options.resourceLimits }),
    ...(options.name !== undefined && { name: options.name }),
  });
  return nodeWorkerHost(worker, `the worker entry ${String(url)}`);
}

/** `what` names the script for a load failure: the entry, or the factory that made the worker. */
function nodeWorkerHost(worker: NodeWorker, what = 'the worker made by `createWorker`'): ThreadHost {
  let fatal: unknown;
  let exitListener: ((code: number, error: unknown) => void) | undefined;
  let exited = false;
  let heard = false;
  const onFirstMessage = () => {
    heard = true;
    worker.off('message', onFirstMessage);
  };
  worker.on('message', onFirstMessage);
  // 'error' (an uncaught exception in the worker) always comes before 'exit'.
  worker.on('error', (error: unknown) => {
    // Nothing heard from it yet: its script did not load (or threw at once), which is the entry's fault.
    fatal ??= heard ? error : loadFailure(what, `: ${(error as Error)?.message ?? String(error)}`, error);
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

/** `what` names the script for a load failure: the entry's URL, or the factory that made the worker. */
function webWorkerHost(worker: Worker, what: string): ThreadHost {
  let heard = false;
  worker.addEventListener('message', () => (heard = true), { once: true });
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
    if (event.error !== undefined && event.error !== null) exit(1, event.error);
    else if (heard) exit(1, new Error(event.message || 'The worker threw an uncaught error'));
    else {
      // Nothing was heard from it: the script itself did not load (missing, not a module, blocked).
      exit(1, loadFailure(what, event.message ? `: ${event.message}` : " (missing, not JavaScript, or blocked by the page's policy)", undefined));
    }
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

function loadFailure(what: string, detail: string, cause: unknown): Error {
  return new Error(`The worker failed to load: ${what} could not be loaded${detail}. Check \`config.workerEntry\` (or the \`workerEntry\` thread option, or \`config.createWorker\`)`, { cause });
}

import { threadState } from '../../../lib/internal/threadState.js';
import { toEndpoint, type Endpoint } from './Endpoint.js';
import { serve, type WorkerCaller } from './serve.js';

type WorkerThreads = { isMainThread: boolean; parentPort: Parameters<typeof toEndpoint>[0] | null; threadId: number };
type CallerClass = { current(): object; new (options: { name: string }): WorkerCaller };

/**
 * Serves calls from the thread that started this one, when this is a worker thread (Node) or a Web
 * Worker; does nothing elsewhere, so loading the worker entry by mistake is harmless.
 */
export function startWorker(Caller: CallerClass): void {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const threads = proc?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
  let endpoint: Endpoint;
  let threadId: number;
  if (threads !== undefined) {
    if (threads.isMainThread || threads.parentPort === null) return;
    endpoint = toEndpoint(threads.parentPort);
    threadId = threads.threadId;
  } else {
    const scope = globalThis as { importScripts?: unknown; postMessage?: unknown; addEventListener?: unknown };
    if (typeof scope.importScripts !== 'function' && !(typeof scope.postMessage === 'function' && typeof scope.addEventListener === 'function' && typeof (globalThis as { document?: unknown }).document === 'undefined')) return;
    endpoint = toEndpoint(globalThis as unknown as Parameters<typeof toEndpoint>[0]);
    threadId = 0;
    // This script is the worker entry: threads started from here (nested toThread, ThreadCallers) use it
    // too, so a bundle needs no configuration inside its workers.
    threadState.config.workerEntry ??= (globalThis as { location?: { href: string } }).location?.href;
  }
  serve(endpoint, {
    threadId,
    currentCaller: () => Caller.current(),
    makeCaller(name) {
      // A ThreadCaller's thread: its own caller is the thread's default one, so Caller.current() is it.
      const caller = new Caller({ name });
      threadState.defaultCaller = caller;
      return caller;
    },
  });
}

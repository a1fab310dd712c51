import { threadState } from '../../../lib/internal/threadState.js';
import { CallerHandle } from './CallerHandle.js';
import { ipcEndpoint, toEndpoint, type Endpoint } from './Endpoint.js';
import type { InitMessage } from './protocol.js';
import { serve } from './serve.js';
import type { WorkerCaller } from './ServeOptions.js';
import { CHILD_PROCESS_FLAG } from './spawnProcess.js';

type WorkerThreads = { isMainThread: boolean; parentPort: Parameters<typeof toEndpoint>[0] | null; threadId: number };
type NodeProcess = { getBuiltinModule?: (id: string) => unknown; argv?: string[]; send?: unknown; pid?: number; on?(event: 'disconnect' | 'exit', listener: () => void): void; exit?(code?: number): never };
type CallerClass = { current(): object; CANCEL_GRACE: number; new (options: { name: string; protected?: boolean }): WorkerCaller };
/** The private field behind `Caller#parent`; set here because the parent of a worker's caller lives on another thread. */
type ParentField = { _parent?: unknown };

const BLOCKED = "runSync's worker cannot call back to the thread that started it: that thread is blocked until the task returns";

/**
 * Serves calls from the thread that started this one, when this is a worker thread (Node), a Web
 * Worker, or a child process started by a ProcessCaller; does nothing elsewhere, so loading the worker
 * entry by mistake is harmless. Once the link's first message arrives, `Caller.main()` becomes a handle
 * to the main thread's caller and `Caller.current().parent` a handle to the caller that owns the link.
 */
export function startWorker(Caller: CallerClass): void {
  const found = findStarter();
  if (found === undefined) return;
  const { endpoint, threadId } = found;
  let parent: CallerHandle | undefined;
  const withParent = <C extends object>(caller: C): C => {
    if (parent !== undefined && (caller as ParentField)._parent === undefined) (caller as ParentField)._parent = parent;
    return caller;
  };
  serve(endpoint, {
    threadId,
    // A pool worker's calls run on its default caller (remade if it was force-stopped): it gets the parent when used.
    currentCaller: () => withParent(Caller.current()),
    callerFor(init) {
      // A ThreadCaller's thread: its own caller is the thread's default one, so Caller.current() is it.
      const caller = new Caller({ name: init.name });
      threadState.defaultCaller = caller;
      return withParent(caller);
    },
    onInit(init: InitMessage) {
      // A pool thread's default caller is named after the thread (not 'main', which is the main thread's).
      if (init.mode === 'pool' && threadState.defaultCaller === undefined) {
        threadState.defaultCaller = new Caller({ name: `pool-thread-${threadId}`, protected: true });
      }
      const cancelGrace = () => Caller.CANCEL_GRACE;
      // Calls back get shared cancel slots only where the link itself has them (not to a parent process).
      const shared = init.slots !== undefined;
      const refusal = init.mode === 'sync' ? BLOCKED : undefined;
      threadState.mainCaller = new CallerHandle(endpoint, { channel: 'main', name: 'main', shared, cancelGrace, refusal });
      parent = new CallerHandle(endpoint, { channel: 'parent', name: init.parentName ?? 'main', shared, cancelGrace, refusal });
    },
    // `process.exit()` in a task: the answers of calls that ended are still sent (not possible in a browser).
    onThreadExit(flush) {
      (globalThis as { process?: NodeProcess }).process?.on?.('exit', flush);
    },
  });
}

/** The port to the starting thread, if this is a worker of some kind. */
function findStarter(): { endpoint: Endpoint; threadId: number } | undefined {
  const proc = (globalThis as { process?: NodeProcess }).process;
  const threads = proc?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
  if (threads !== undefined) {
    if (!threads.isMainThread && threads.parentPort !== null) return { endpoint: toEndpoint(threads.parentPort), threadId: threads.threadId };
    if (typeof proc!.send !== 'function' || !proc!.argv?.includes(CHILD_PROCESS_FLAG)) return undefined;
    // A child process: its parent going away (even a crash) closes the channel, and nothing is left to serve.
    proc!.on!('disconnect', () => proc!.exit!(0));
    return { endpoint: ipcEndpoint(proc as unknown as Parameters<typeof ipcEndpoint>[0]), threadId: threads.threadId };
  }
  const scope = globalThis as { importScripts?: unknown; postMessage?: unknown; addEventListener?: unknown };
  if (typeof scope.importScripts !== 'function' && !(typeof scope.postMessage === 'function' && typeof scope.addEventListener === 'function' && typeof (globalThis as { document?: unknown }).document === 'undefined')) return undefined;
  // A Web Worker: this script is the worker entry, so threads started from here (nested toThread,
  // ThreadCallers) use it too and a browser bundle needs no configuration inside its workers.
  // (spec/browser checks this: keep it when editing this file.)
  threadState.config.workerEntry ??= (globalThis as { location?: { href: string } }).location?.href;
  return { endpoint: toEndpoint(globalThis as unknown as Parameters<typeof toEndpoint>[0]), threadId: 0 };
}

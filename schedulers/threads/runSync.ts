import { WorkerCrashedError } from '../../lib/errors.js';
import type { Batch, CallMessage, ClientMessage, TaskRef, WorkerMessage } from './internal/protocol.js';
import { decodeBatch, encodeBatch } from './internal/compactBatch.js';
import { describeTask, toTaskRef } from './internal/taskRef.js';
import { resolveWorkerEntry } from './internal/workerEntry.js';
import { deserializeFailure } from './internal/wireErrors.js';
import type { Cloned } from './Cloned.js';
import type { ThreadTask } from './threadTask.js';
import { unwrapTransfers } from './transfer.js';

type Port = { postMessage(message: unknown, transfer?: readonly object[]): void; unref?(): void; close(): void };
type NodeWorker = { unref(): void; terminate(): Promise<number> };
type WorkerThreads = {
  Worker: new (url: string | URL, options: object) => NodeWorker;
  MessageChannel: new () => { port1: Port; port2: Port };
  receiveMessageOnPort(port: Port): { message: unknown } | undefined;
};

/** The thread runSync uses, started on first use and kept (it does not keep the process alive). */
interface SyncThread {
  readonly worker: NodeWorker;
  readonly port: Port;
  /** Word 0 counts batches the worker posted; word 1 is set when it exits. */
  readonly wake: Int32Array;
  ready: boolean;
  nextId: number;
  /** Tasks named on this thread's link. */
  readonly taskIds: Map<TaskRef, number>;
}

let syncThread: SyncThread | undefined;

/** How long a new thread may take to start before runSync gives up (it cannot see an exit while blocked). */
const START_TIMEOUT_MS = 30_000;
/** How often a blocked runSync looks at the clock while its thread starts. */
const START_CHECK_MS = 1000;

/**
 * The thread that starts runSync's worker and watches it. A blocked thread never sees a worker's 'exit'
 * event, and a worker that runs out of memory is ended without running any code of its own (no exit
 * handler of its own can wake the blocked thread): this small thread, whose event loop stays free, gets
 * the event and wakes the blocked thread (word 1 of `wake` set, word 0 bumped). CommonJS or ESM alike.
 */
const WATCHER = `
const { Worker, workerData } = process.getBuiltinModule('node:worker_threads');
const { entry, isUrl, execArgv, init, port } = workerData;
const wake = new Int32Array(init[0].wake);
const worker = new Worker(isUrl ? new URL(entry) : entry, execArgv === undefined ? {} : { execArgv });
worker.on('error', () => {});
worker.on('exit', () => {
  Atomics.store(wake, 1, 1);
  Atomics.add(wake, 0, 1);
  Atomics.notify(wake, 0);
});
worker.postMessage([{ ...init[0], port }], [port]);
`;

/**
 * Runs `task(...args)` on a worker thread and **blocks the current thread** until it is done, then
 * returns its value (awaited, if it is a promise) or throws its error (class name, message, stack and
 * cause kept). For synchronous code that must call asynchronous code: a sync API, a config loader.
 * Node only (`SharedArrayBuffer` + `Atomics.wait`); the thread is started on first use and reused.
 * Nothing else runs on the calling thread meanwhile: timers, promises and callers all wait.
 *
 * @example
 * import { runSync } from 'rxjs-caller';
 * const text = runSync(async (url: string) => (await fetch(url)).text(), 'https://example.com');
 * @param task A ThreadTask or a self-contained function.
 * @param args Its arguments (structured-cloned; `transfer()` moves buffers).
 * @returns the task's value.
 * @throws the task's error; {@link WorkerCrashedError} when the thread died; TypeError for a bad `task`
 *   or arguments that cannot be cloned; Error where blocking is not possible (browsers, no worker_threads).
 */
export function runSync<A extends unknown[], R>(task: ThreadTask<A, R> | ((...args: A) => R), ...args: A): Cloned<Awaited<R>> {
  const ref = toTaskRef(task);
  const threads = workerThreads();
  const thread = threadFor(threads);
  const id = thread.nextId++;
  const { args: sent, list } = unwrapTransfers(args);
  let taskId = thread.taskIds.get(ref);
  const batch: ClientMessage[] = [];
  if (taskId === undefined) {
    thread.taskIds.set(ref, (taskId = thread.taskIds.size + 1));
    batch.push({ type: 'task', id: taskId, task: ref });
  }
  const call: CallMessage = { type: 'call', id, task: taskId, args: sent, slot: -1 };
  batch.push(call);
  try {
    thread.port.postMessage(encodeBatch(batch), list);
  } catch (error) {
    throw new TypeError(`The arguments of thread task ${describeTask(ref)} could not be sent to the worker (they must be structured-cloneable): ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
  const sentAt = performance.now();
  for (;;) {
    const seen = Atomics.load(thread.wake, 0);
    for (let received = threads.receiveMessageOnPort(thread.port); received !== undefined; received = threads.receiveMessageOnPort(thread.port)) {
      for (const message of decodeBatch<WorkerMessage>(received.message as Batch<unknown>)) {
        if (message.type === 'ready') thread.ready = true;
        if (message.id !== id) continue;
        if (message.type === 'result') return message.value as Cloned<Awaited<R>>;
        if (message.type === 'error') throw deserializeFailure(message.failure);
        if (message.type === 'cancelled') throw new WorkerCrashedError(`The runSync thread cancelled this call (${describeTask(ref)})`);
      }
    }
    if (Atomics.load(thread.wake, 1) !== 0) {
      dropThread();
      throw new WorkerCrashedError(`The runSync worker thread exited while running this call (${describeTask(ref)}): the task ended it, or it ran out of memory`);
    }
    let outcome: string;
    try {
      outcome = Atomics.wait(thread.wake, 0, seen, thread.ready ? undefined : START_CHECK_MS);
    } catch (error) {
      throw new Error('runSync cannot block this thread: Atomics.wait is not allowed here (a browser main thread?). Use `await caller.toThread(task, ...args)` instead.', { cause: error });
    }
    if (outcome === 'timed-out' && performance.now() - sentAt > START_TIMEOUT_MS) {
      dropThread();
      throw new WorkerCrashedError(`The runSync worker thread did not start within ${START_TIMEOUT_MS} ms`);
    }
  }
}

/** @internal Terminates runSync's thread (tests end it in afterEach). */
export function _closeRunSyncThread(): Promise<void> {
  const thread = syncThread;
  syncThread = undefined;
  if (thread === undefined) return Promise.resolve();
  thread.port.close();
  return thread.worker.terminate().then(() => undefined);
}

function workerThreads(): WorkerThreads {
  const threads = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:worker_threads') as WorkerThreads | undefined;
  if (threads === undefined || typeof threads.receiveMessageOnPort !== 'function') {
    throw new Error('runSync needs Node >= 20.16 (worker_threads): a browser cannot block a thread on another; use `await caller.toThread(task, ...args)` instead.');
  }
  return threads;
}

function threadFor(threads: WorkerThreads): SyncThread {
  if (syncThread !== undefined) return syncThread;
  const entry = resolveWorkerEntry();
  const { port1, port2 } = new threads.MessageChannel();
  port1.unref?.();
  const wake = new SharedArrayBuffer(8);
  const init: Batch<ClientMessage> = [{ type: 'init', id: 0, mode: 'sync', slots: undefined, name: 'runSync', idleTimeout: 0, wake }];
  const isUrl = typeof entry.url !== 'string';
  const workerData = { entry: isUrl ? (entry.url as URL).href : entry.url, isUrl, execArgv: entry.execArgv, init, port: port2 };
  // The watcher starts the worker (which inherits the process's Node options through it) and outlives nothing: terminating it ends the worker.
  const worker = new threads.Worker(WATCHER, { eval: true, workerData, transferList: [port2] });
  worker.unref();
  return (syncThread = { worker, port: port1, wake: new Int32Array(wake), ready: false, nextId: 1, taskIds: new Map() });
}

function dropThread(): void {
  void _closeRunSyncThread();
}

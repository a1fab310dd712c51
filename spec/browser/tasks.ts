/**
 * Thread tasks for the browser suite, bundled next to the page and loaded by its Web Workers through
 * `threadTask(new URL('./tasks.js', import.meta.url), name)`. Browsers keep the current pending for the
 * synchronous part of a call only, so each task reads `Caller.currentPending()` before its first await.
 */
import { range } from 'rxjs';
import { Caller } from '../../index.js';

/** Where the task runs: the worker's own caller, a Web Worker scope, a pending of its own. */
export function whereAmI(): { caller: string; inWorker: boolean; hasPending: boolean } {
  return {
    caller: Caller.current().name,
    inWorker: typeof document === 'undefined' && typeof postMessage === 'function',
    hasPending: Caller.currentPending() !== undefined,
  };
}

/** Says 'started', then waits for its signal; says 'aborted' (and fails with the reason) when it aborts. */
export function untilCancelled(port: MessagePort): Promise<never> {
  const signal = Caller.currentPending()!.signal;
  port.postMessage('started');
  return new Promise((_, reject) =>
    signal.addEventListener('abort', () => {
      port.postMessage('aborted');
      reject(signal.reason);
    }),
  );
}

/**
 * A synchronous loop that only its signal can stop: it sees the cancel through shared memory, which
 * needs a cross-origin isolated page (SharedArrayBuffer); elsewhere the pool terminates the worker.
 */
export function spinUntilCancelled(port: MessagePort): number {
  const signal = Caller.currentPending()!.signal;
  port.postMessage('started');
  let spins = 0;
  while (!signal.aborted) spins++;
  port.postMessage('aborted');
  return spins;
}

/** Starts a thread from inside a worker: no configuration, the worker entry names itself there. */
export function doubleOnNestedThread(n: number): PromiseLike<{ value: number; inWorker: boolean }> {
  return Caller.current().toThread((x: number) => ({ value: x * 2, inWorker: typeof document === 'undefined' }), n);
}

/** A stream for `ThreadCaller.observe`. */
export function count(n: number) {
  return range(0, n);
}

/** Calls back to the page: inside a worker, `Caller.main()` is a handle to the main thread's caller. */
export function askThePage(): PromiseLike<{ inPage: boolean }> {
  return Caller.main().callSoon(() => ({ inPage: typeof document !== 'undefined' }));
}

/** Says `start:<term>`, then keeps its thread busy for `ms` ms, ignoring its signal (a search that does not cooperate). */
export function busySearch(term: string, ms: number, port: MessagePort): string {
  port.postMessage(`start:${term}`);
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy, and deaf to cancellation
  }
  return `result:${term}`;
}

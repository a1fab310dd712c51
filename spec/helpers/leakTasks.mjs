// Tasks for the thread leak checks (spec/reliability/fixtures/threadLeaks.mjs), run from the built package.
import { Caller } from 'rxjs-caller';

/** Ends when its call is cancelled. */
export function untilCancelled() {
  const signal = Caller.currentPending().signal;
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

/** This thread's heap after a full collection (needs --expose-gc, which workers inherit). */
export function heapAfterGc() {
  for (let i = 0; i < 6; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

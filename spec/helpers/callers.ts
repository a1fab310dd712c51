import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Caller } from '../../schedulers/Caller';
import { within } from './within';

export { rejectionOf, thrownBy } from './outcomes';

/**
 * Starts a call on `caller` that runs until the returned deferred is resolved, and waits (bounded) until it
 * has started: `stop()` then leaves the caller stopping.
 */
export async function holdCall(caller: Caller): Promise<{ resolve: () => void }> {
  const release = deferred();
  const started = deferred();
  caller.callSoon(async () => {
    started.resolve();
    await release.promise;
  });
  await within(started.promise);
  return release;
}

/** Lets queued microtasks (and those they queue) run, without leaving the current macrotask. */
export async function flushMicrotasks(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** One turn of the host event loop (timers and I/O included). */
export function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A promise and its resolver, for work that waits on the test. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Stops every caller the test made (not the thread's protected default caller) and waits until each has
 * stopped, so no work of one test runs into the next.
 */
export async function stopAllCallers(): Promise<void> {
  const main = Caller.main();
  const callers = Caller.all().filter((c) => c !== main);
  for (const caller of callers) caller.stop({ force: true });
  await Promise.all(callers.map((c) => c.stopped.then(undefined, () => undefined)));
}

let gcFunction: (() => void) | undefined;

/**
 * A `gc()` function although jest gives no way to pass `--expose-gc` per test: the flag is set at run time
 * and a fresh context created afterwards exposes `gc`.
 */
export function gc(): void {
  if (gcFunction === undefined) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  gcFunction();
}

/**
 * Collects garbage and lets finalizers run until `done()` holds, at most `rounds` times.
 * @returns whether `done()` held.
 */
export async function collectUntil(done: () => boolean, rounds = 50): Promise<boolean> {
  for (let i = 0; i < rounds && !done(); i++) {
    gc();
    await nextMacrotask();
  }
  return done();
}

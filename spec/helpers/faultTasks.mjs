// Tasks that hurt the thread they run on, for the reliability tests and the soak (spec/reliability):
// plain JavaScript, so worker threads load it from the built package and from the sources alike.

/** A normal task: the answer proves which call it was. */
export function inc(i) {
  return i + 1;
}

/** Ends the thread, as a task that calls process.exit() does. */
export function exitThread(code) {
  process.exit(code);
}

/** Throws from a timer: an uncaught exception ends the thread. */
export function throwInTimer(message) {
  setTimeout(() => {
    throw new Error(message);
  });
  return new Promise(() => {});
}

/** Allocates until the thread's heap limit ends it. */
export function exhaustMemory() {
  const hoard = [];
  for (;;) hoard.push(new Array(100_000).fill(hoard.length));
}

/** Spins forever, ignoring its signal; sets word 0 of `started` first. */
export function spin(started) {
  const words = new Int32Array(started);
  Atomics.store(words, 0, 1);
  Atomics.notify(words, 0);
  for (;;) {
    // ignores cancellation on purpose
  }
}

/** Returns what cannot be cloned back. */
export function uncloneableResult() {
  return { callback: () => 1 };
}

/** Returns a thenable whose `then` throws. */
export function throwingThenable(message) {
  return {
    then() {
      throw new Error(message);
    },
  };
}

/** Sets word 0 of `started`, blocks its thread until word 0 of `gate` is set (by the test), then exits with `code`. */
export function exitWhenOpened(started, gate, code) {
  const words = new Int32Array(started);
  Atomics.store(words, 0, 1);
  Atomics.notify(words, 0);
  Atomics.wait(new Int32Array(gate), 0, 0);
  process.exit(code);
}

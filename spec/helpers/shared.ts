/** Waiting on shared memory without polling or sleeping, for tests that talk to worker threads. */

type WaitAsync = (words: Int32Array, index: number, value: number) => { async: boolean; value: Promise<string> | string };

/** Resolves once word 0 of `shared` is non-zero (Atomics.waitAsync: woken by the writer's notify). */
export async function whenSet(shared: SharedArrayBuffer): Promise<void> {
  const words = new Int32Array(shared);
  const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
  while (Atomics.load(words, 0) === 0) {
    const waited = waitAsync(words, 0, 0);
    if (waited.async) await waited.value;
  }
}

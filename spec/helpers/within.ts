/**
 * Bounded waits for tests that wait for something to settle.
 *
 * Not a timing assertion: these assert that a thenable settles at all. The bound is far above the few
 * milliseconds the tests need, and exists only so that a hang — a pending left unsettled by a bug, or by a
 * mutant during `npm run mutation` — fails its test within a second instead of at jest's 20 s limit.
 */

/** How long (real time) a bounded wait lasts before it fails the test. */
export const SETTLE_LIMIT_MS = 1000;

/**
 * jest's time limit for the few tests that do bulk work (tens of thousands of members, property runs):
 * the mutation run gives every other test a short limit (mutation/jest.config.js), which these could meet
 * on a loaded machine without any mutant to blame.
 */
export const SLOW_TEST_MS = 10_000;

/** Why a bounded wait failed: the thenable did not settle in time (never taken for its rejection). */
export class NotSettledError extends Error {
  override readonly name = 'NotSettledError';
}

/**
 * Resolves or rejects as `thenable` does; rejects with an Error naming `what` when it has not settled
 * within `limitMs` of real time.
 */
export function within<T>(thenable: PromiseLike<T>, what = 'the awaited value', limitMs = SETTLE_LIMIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new NotSettledError(`Expected ${what} to settle within ${limitMs} ms; it did not settle`)), limitMs);
    thenable.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The outcome of `thenable` once it settles (within the bound), as a value to compare with `toEqual`. */
export async function outcomeOf<T>(thenable: PromiseLike<T>, what?: string): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await within(thenable, what) };
  } catch (error) {
    if (error instanceof NotSettledError) throw error;
    return { error };
  }
}

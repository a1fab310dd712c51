/**
 * The state word of a call in a link's shared `Int32Array` (one slot per call in flight). The client
 * sets it to 0 before it sends the call; after that each side only sets bits, with Atomics:
 * - the worker sets STARTED (compare-and-swap from 0) when it begins the call;
 * - the client sets CANCEL to ask a running call to stop — a synchronous loop in the task sees it through
 *   `signal.aborted`, which no message could reach while the loop holds the worker's event loop;
 * - the client sets REVOKED (compare-and-swap from 0) to take back a call the worker has not begun
 *   (cancelled before it started, or moved to another worker). Whoever swaps first wins.
 */
export const STARTED = 1;
export const CANCEL = 2;
export const REVOKED = 4;

/** Slots per pool worker (calls in flight on it at most) and per ThreadCaller link. */
export const POOL_SLOTS = 64;
export const CALLER_SLOTS = 1024;

/**
 * A fresh set of `count` slots, or undefined where shared memory is unavailable (non-isolated pages) or
 * `count` is 0 (a link to a child process, which cannot share memory).
 */
export function makeSlots(count: number): SharedArrayBuffer | undefined {
  return count > 0 && typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(count * 4) : undefined;
}

import { DeadlockError } from '../errors.js';
import type { Pending } from '../Pending.js';

/**
 * Deadlock detection. While a call's work waits on a pending (await, subscribe, gather, wait), an edge
 * "waiter -> target" is kept on the waiter (`_awaiting`, cleared when the waiter settles). Waiting on a
 * pending that already reaches the waiter through such edges can never end, so it fails at once.
 *
 * `waiter`: the pending whose work runs now (the current frame's), if any.
 * @returns the error to fail with, or undefined after recording the new edge.
 */
export function findDeadlock(waiter: Pending<unknown> | undefined, target: Pending<unknown>): DeadlockError | undefined {
  if (waiter === undefined || waiter.done) return undefined;
  if (waiter === target) return new DeadlockError('Deadlock: a call cannot wait for its own pending (it would never settle)');
  if (target._awaiting !== undefined && reaches(target, waiter)) {
    return new DeadlockError('Deadlock: this wait closes a cycle of pendings waiting on each other');
  }
  recordWait(waiter, target);
  return undefined;
}

function reaches(from: Pending<unknown>, to: Pending<unknown>): boolean {
  const seen = new Set<Pending<unknown>>();
  const stack: Pending<unknown>[] = [from];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === to) return true;
    if (node.done || seen.has(node)) continue;
    seen.add(node);
    const next = node._awaiting;
    if (next === undefined) continue;
    if (Array.isArray(next)) stack.push(...next);
    else stack.push(next);
  }
  return false;
}

function recordWait(waiter: Pending<unknown>, target: Pending<unknown>): void {
  const current = waiter._awaiting;
  if (current === undefined || current === target || (!Array.isArray(current) && current.done)) {
    waiter._awaiting = target;
  } else if (Array.isArray(current)) {
    current.push(target);
    // Settled targets are dropped when the list reaches a power of two: amortised O(1) a wait, so
    // `Promise.all` over n pendings inside a call stays linear. Duplicates are harmless to the search.
    const n = current.length;
    if (n >= 16 && (n & (n - 1)) === 0) waiter._awaiting = current.filter((p) => !p.done);
  } else {
    waiter._awaiting = [current, target];
  }
}

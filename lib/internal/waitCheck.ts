import type { DeadlockError } from '../errors.js';
import type { Pending } from '../Pending.js';

/**
 * The deadlock check a wait on a pending runs first (`then`, `subscribe`, `wait`), or undefined. Only work
 * that runs in a frame (a caller's call, a group's body) can close a cycle, and frames exist only once
 * lib/internal/context.ts has loaded, so that module installs the check: an app that makes no caller and
 * no group carries neither the frames nor the cycle search.
 */
export let checkWait: ((target: Pending<unknown>) => DeadlockError | undefined) | undefined;

export function installWaitCheck(check: (target: Pending<unknown>) => DeadlockError | undefined): void {
  checkWait = check;
}

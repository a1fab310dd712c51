import type { DeadlockError } from '../errors.js';
import type { Pending } from '../Pending.js';
import type { Frame } from './threadState.js';

/**
 * What code that makes no frames needs from them: `Pending`'s deadlock check and the operators' frame
 * capture. Frames are made only by lib/internal/context.ts (for a caller's call or a group's body), which
 * installs these hooks when it loads; before that no frame can exist, so there is no frame to read or
 * enter and no wait can close a cycle. An app that makes no caller and no group (a `Pending` or operator
 * app) thus carries neither the frames (AsyncLocalStorage and its probe) nor the cycle search.
 */
let readFrame: (() => Frame | undefined) | undefined;
let enterFrame: (<A, R>(frame: Frame | undefined, fn: (arg: A) => R, arg: A) => R) | undefined;

/** The deadlock check a wait on a pending runs first (`then`, `subscribe`, `wait`), once frames exist. */
export let checkWait: ((target: Pending<unknown>) => DeadlockError | undefined) | undefined;

export function installFrameHooks(
  current: () => Frame | undefined,
  run: <A, R>(frame: Frame | undefined, fn: (arg: A) => R, arg: A) => R,
  check: (target: Pending<unknown>) => DeadlockError | undefined,
): void {
  readFrame = current;
  enterFrame = run;
  checkWait = check;
}

/** The current frame (undefined before any exists). */
export function frameNow(): Frame | undefined {
  return readFrame?.();
}

/** Runs `fn(arg)` in `frame`: at once when it is the current frame already. */
export function inFrame<A, R>(frame: Frame | undefined, fn: (arg: A) => R, arg: A): R {
  return readFrame?.() === frame ? fn(arg) : enterFrame!(frame, fn, arg);
}

import type { Pending } from '../Pending.js';
import { findDeadlock } from './deadlock.js';
import { threadState, type AsyncLocalStorageLike, type Frame } from './threadState.js';
import { installFrameHooks } from './frameHooks.js';
import { zonesInUse } from './zones.js';

/**
 * The current call frame. In Node it follows the call across `await`s through AsyncLocalStorage; in
 * hosts without it (browsers), it holds for the synchronous part of a call only.
 */

interface AsyncScope {
  runInAsyncScope<R>(fn: (...args: never[]) => R, thisArg: unknown, ...args: unknown[]): R;
}
type AsyncHooks = { AsyncLocalStorage?: new () => AsyncLocalStorageLike; AsyncResource?: new (type: string) => AsyncScope };
type NodeProcess = { getBuiltinModule?: (id: string) => AsyncHooks | undefined };

/**
 * Where AsyncLocalStorage rides on AsyncContextFrame (Node 24's default), `run()` copies the whole context
 * map twice (in, and back out): ~0.3 µs a call, the largest cost of a short call there. Entering from a
 * scope captured once (an AsyncResource: a frame swap, no copy) and then `enterWith(frame)` builds one
 * small map instead, and leaving is a swap back. `null` where AsyncLocalStorage uses async hooks (Node 20,
 * 22), whose `run()` is already cheap (their cost is in every promise instead); undefined until first use.
 */
let frameScope: AsyncScope | null | undefined;

/** The storage of frames, made on first use (a caller makes it as it is made: see contextFrameScope). */
export function storage(): AsyncLocalStorageLike | null {
  let s = threadState.storage;
  if (s === undefined) {
    const Storage = asyncHooks()?.AsyncLocalStorage;
    s = threadState.storage = Storage ? new Storage() : null;
  }
  if (s !== null && frameScope === undefined) frameScope = contextFrameScope(s);
  return s;
}

/** Node's async_hooks: getBuiltinModule works the same from ESM and CJS and is invisible to browser bundlers. */
function asyncHooks(): AsyncHooks | undefined {
  return (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:async_hooks');
}

/**
 * The scope calls are entered from, when AsyncLocalStorage is built on AsyncContextFrame: there a
 * resource's scope is a captured frame that `enterWith` inside it does not change, which a probe shows
 * (with async hooks, `enterWith` writes onto the resource itself). `null` when that is not so. The probe
 * is the frames' storage itself, on a resource of its own: where it uses async hooks, that first
 * `enterWith` also turns them on now, so an asap round's job, queued after, starts on an async resource of
 * its own (the round's promise) rather than on one Node shares while no hook is on (see runBatch).
 */
function contextFrameScope(s: AsyncLocalStorageLike): AsyncScope | null {
  const Resource = asyncHooks()?.AsyncResource;
  // Stryker disable next-line ConditionalExpression: Node always has AsyncResource beside AsyncLocalStorage; the check is for other hosts that offer one without the other
  if (!Resource) return null;
  const scope = new Resource('rxjs-caller');
  scope.runInAsyncScope(() => s.enterWith(scope), undefined);
  return scope.runInAsyncScope(() => s.getStore(), undefined) !== scope ? scope : null;
}

export function currentFrame(): Frame | undefined {
  const s = storage();
  return s ? (s.getStore() as Frame | undefined) : threadState.syncFrame;
}

/** Runs `fn(arg)` with `frame` as the current frame. */
export function runInFrame<A, R>(frame: Frame | undefined, fn: (arg: A) => R, arg: A): R {
  const s = storage();
  if (s) {
    // The frame rides as `this`: two arguments less to copy into the scope's rest array on every call.
    if (frameScope) return frameScope.runInAsyncScope(enterFrame as (...args: never[]) => R, frame, fn, arg);
    return s.run(frame, fn, arg);
  }
  const outer = threadState.syncFrame;
  threadState.syncFrame = frame;
  try {
    return fn(arg);
  } finally {
    threadState.syncFrame = outer;
  }
}

function enterFrame<A, R>(this: Frame | undefined, fn: (arg: A) => R, arg: A): R {
  threadState.storage!.enterWith(this);
  return fn(arg);
}

/**
 * Where AsyncLocalStorage uses async hooks (Node 20, 22): whether the running batch's calls may enter their
 * frames with `enterWith` (a write on the current resource, ~40 ns less than a `run()` each there), the
 * batch's own `run()` putting the outer context back after it, or the batch running in its own job. A
 * `run()` does so only when it changes the context (not when `frame` is current already): the calls then
 * `run()` each. A batch nested in another's call clears it, and the outer batch's later calls `run()` each:
 * correct, if slower. (No try/finally: only an internal error escapes a batch, and the next batch sets the
 * flag anew.)
 */
let inBatch = false;

/**
 * Runs a batch of work items starting in `frame`; each item enters its own frame with {@link runBatchWork}
 * (a call its pending, other work the caller's). The batch runs in `frame` (`runInFrame`, which restores
 * the context after it). `ownJob`: the batch runs in a job of this package's own (the asap rounds), whose
 * context the host restores when the job ends, so it needs no scope or `run()` of its own and its calls
 * may `enterWith` (~40 ns a batch on AsyncContextFrame, ~60 ns under async hooks, where the writes land on
 * the job's own async resource, the round's promise, which nothing reads afterwards; a batch is often one
 * call). Not where zone.js is in use: its promises run many zone tasks in one job, which would see the
 * last call's frame.
 */
export function runBatch<A>(frame: Frame, fn: (arg: A) => void, arg: A, ownJob?: boolean): void {
  const s = storage();
  // Stryker disable next-line ConditionalExpression: its `false` mutant (an own job entered as any other batch) is only slower; `true` fails the context spec
  if (s && ownJob && !zonesInUse()) {
    inBatch = true;
    fn(arg);
  } else {
    inBatch = s !== null && s.getStore() !== frame;
    runInFrame(frame, fn, arg);
  }
  inBatch = false;
}

/**
 * Runs `fn(arg)` in `frame` inside {@link runBatch}, where `frame` may then stay current for the batch:
 * one `enterWith` (the batch's scope, the host at the end of an own job, or the batch itself restores the
 * context), so a call entered this way costs one context switch instead of a `run()`'s in and out.
 * `fresh`: `frame` is known not to be current (a call's pending, which has not run yet), so the current
 * one is not read (~20 ns on AsyncContextFrame, more under async hooks).
 */
export function runBatchWork<A, R>(frame: Frame, fn: (arg: A) => R, arg: A, fresh?: boolean): R {
  const s = storage();
  // Stryker disable next-line ConditionalExpression,LogicalOperator: without `fresh` the frame is read and found not current, with it always a frame current already is entered again: only slower either way
  if (s === null || fresh || s.getStore() !== frame) {
    if (s === null || !(frameScope || inBatch)) return runInFrame(frame, fn, arg);
    s.enterWith(frame);
  }
  return fn(arg);
}

// Frames exist from the moment this module loads: code that only reads or enters them (Pending's
// deadlock check, the operators) reaches them through these hooks (lib/internal/frameHooks.ts).
installFrameHooks(currentFrame, runInFrame, (target: Pending<unknown>) => findDeadlock(currentFrame()?.pending, target));

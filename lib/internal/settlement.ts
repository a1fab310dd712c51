import type { Observable, Subscriber, TeardownLogic } from 'rxjs';
import { PendingCancelled } from '../errors.js';
import type { Pending } from '../Pending.js';
import { reportError } from './report.js';
import { CANCELLED, CANCELLING, DISPATCH_DUE, FULFILLED, OBSERVED, REJECTED } from './pendingStates.js';
import { noteSettled } from './unobserved.js';
import { checkWait } from './frameHooks.js';
import { hasAudience, rememberZone, zoneToEnter } from './zones.js';
import { resolved } from './resolved.js';

// How a Pending settles and tells those waiting for it: its done callbacks, its subscribers, its promise.

export type DoneCallback<T> = (pending: Pending<T>) => void;
/**
 * A done callback, or a subscriber waiting for settlement. Stored untyped so that `Pending<T>` stays
 * covariant in `T` (a `Pending<string>` is a `Pending<unknown>`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Listener = DoneCallback<any> | Subscriber<any>;

export function deliver<T>(subscriber: Subscriber<T>, pending: Pending<T>): void {
  if (pending._s === FULFILLED) {
    subscriber.next(pending._v as T);
    subscriber.complete();
  } else {
    subscriber.error(failureOf(pending));
  }
}

export function settle<T>(pending: Pending<T>, state: number, value: unknown): boolean {
  const from = pending._s;
  if (from >= FULFILLED) return false;
  // A call settles in the zone it was made in (only calls have one remembered) when something other
  // than its caller's bookkeeping waits on it: a thread's answer arrives in the zone its worker was
  // started in, a call of an Angular 'outside' caller finishes outside Angular, and those waiting —
  // operators included — go on in the call's zone (nothing waiting: no change detection for nothing).
  const zone = zoneToEnter(pending);
  if (zone !== undefined && hasAudience(pending._listeners)) return zone.run(settle, undefined, [pending, state, value]);
  if (from === CANCELLING) {
    // Cancellation is sticky: whatever the work delivers, a cancelled pending ends cancelled.
    // Its PendingCancelled is made when first read (see failureOf), or is the one shared by a stop().
    if (state === REJECTED) value = new PendingCancelled(pending._reasons, { cause: value });
    else if (state !== CANCELLED) value = undefined;
    state = CANCELLED;
  }
  pending._s = state;
  pending._v = value;
  pending._canceller = undefined;
  pending._awaiting = undefined;
  if (pending._listeners !== undefined) {
    if (dispatching) {
      // Settled by a listener of another settlement: its listeners run once those have, so the pending
      // settled first has its callbacks run first (a child's `stopped` before its parent's).
      pending._flags |= DISPATCH_DUE;
      deferred.push(pending as Pending<unknown>);
    } else dispatch(pending as Pending<unknown>);
  }
  if (state === REJECTED) noteSettled(pending);
  return true;
}

/** Whether listeners of a settlement are running now (settlements they make wait in `deferred`). */
let dispatching = false;
const deferred: Pending<unknown>[] = [];

// No try/finally here (it costs ~2x on every settlement with a listener): callListener catches whatever
// a listener throws and the sink never throws, so nothing can leave `dispatching` set.
function dispatch(first: Pending<unknown>): void {
  dispatching = true;
  runListeners(first);
  // Stryker disable next-line ConditionalExpression: runDeferred over no pendings does nothing; the check only saves the call
  if (deferred.length !== 0) runDeferred();
  dispatching = false;
}

function runDeferred(): void {
  // Indexed, not shifted: a burst of nested settlements stays linear.
  for (let i = 0; i < deferred.length; i++) {
    const pending = deferred[i]!;
    deferred[i] = undefined as never;
    pending._flags &= ~DISPATCH_DUE;
    runListeners(pending);
  }
  deferred.length = 0;
}

function runListeners(pending: Pending<unknown>): void {
  const listeners = pending._listeners;
  pending._listeners = undefined;
  if (listeners === undefined) return;
  if (Array.isArray(listeners)) for (const listener of listeners) callListener(listener, pending);
  else callListener(listeners, pending);
}

/**
 * Whether a listener added now must join the queue rather than run at once: the pending has not settled,
 * or it has and its listeners still wait their turn (so registration order holds).
 */
export function mustQueue(pending: Pending<unknown>): boolean {
  return pending._s < FULFILLED || (pending._flags & DISPATCH_DUE) !== 0;
}

/**
 * The error a settled, unfulfilled pending stands for. A cancelled pending makes its PendingCancelled on
 * first read: cancelling many pendings nobody reads costs no error object each.
 */
export function failureOf(pending: Pending<unknown>): unknown {
  if (pending._s === CANCELLED && pending._v === undefined) pending._v = cancellationFor(pending._reasons ?? []);
  return pending._v;
}

/**
 * Pendings cancelled for the same reasons whose error is first read in one synchronous stretch share one
 * PendingCancelled (as the calls one `stop()` cancels do): cancelling 100 000 pendings with a handler each
 * then makes one error, not 100 000 (an error object is most of a cancellation's cost). After the next
 * microtask a new one is made.
 */
let shared: PendingCancelled | undefined;
// Stryker disable next-line StringLiteral: read only while `shared` is set, and then always written first
let sharedKey = '';
const forgetShared = () => {
  shared = undefined;
};

function cancellationFor(reasons: readonly string[]): PendingCancelled {
  // Stryker disable next-line ConditionalExpression: joining one reason gives that reason; the check only saves the join
  const key = reasons.length === 1 ? reasons[0]! : reasons.join('\u0000');
  if (shared !== undefined && key === sharedKey) return shared;
  // Stryker disable next-line ConditionalExpression: a second forget queued in the same stretch runs at the same microtask boundary, where the error is forgotten anyway
  if (shared === undefined) void resolved.then(forgetShared);
  sharedKey = key;
  return (shared = new PendingCancelled(reasons));
}

export function callListener<T>(listener: Listener, pending: Pending<T>): void {
  // A subscriber or done callback runs in the zone it was added in, whoever settles the pending.
  const listenerZone = zoneToEnter(listener);
  if (listenerZone !== undefined) return listenerZone.run(callListener, undefined, [listener, pending]);
  try {
    if (typeof listener === 'function') listener(pending);
    else deliver(listener, pending);
  } catch (error) {
    // A done callback has nobody to throw to (a Subscriber reports its own errors, RxJS's way).
    reportError(error, pending as Pending<unknown>);
  }
}

export function addListener<T>(pending: Pending<T>, listener: Listener): void {
  const current = pending._listeners;
  if (current === undefined) pending._listeners = listener;
  else if (Array.isArray(current)) current.push(listener);
  else pending._listeners = [current, listener];
}

/** Removes `listener` (every registration when `all`, else the first); returns how many went. */
export function removeListener<T>(pending: Pending<T>, listener: Listener, all: boolean): number {
  const current = pending._listeners;
  if (current === listener) {
    pending._listeners = undefined;
    return 1;
  }
  if (!Array.isArray(current)) return 0;
  let removed = 0;
  // Stryker disable next-line ArithmeticOperator: starting past the end only reads two holes first
  for (let i = current.length - 1; i >= 0; i--) {
    if (current[i] === listener) {
      current.splice(i, 1);
      removed++;
      // Stryker disable next-line ConditionalExpression: removing one registration (`all` false) is asked only for listeners registered once: a subscriber, a passive callback
      if (!all) break;
    }
  }
  return removed;
}

export function promiseOf<T>(pending: Pending<T>): Promise<T> {
  let promise = pending._promise;
  if (promise === undefined) {
    if (pending._s < FULFILLED) {
      promise = new Promise<T>((resolve, reject) => {
        addListener(pending, (p: Pending<T>) => (p._s === FULFILLED ? resolve(p._v as T) : reject(failureOf(p))));
      });
    } else if (pending._s === FULFILLED) promise = Promise.resolve(pending._v as T);
    else promise = Promise.reject(failureOf(pending));
    // No `catch(noop)` here: `then` attaches its handlers at once, and `wait` marks what it hands out
    // (one promise less per await: each costs ~50 ns more under AsyncLocalStorage's promise hooks).
    pending._promise = promise;
  }
  return promise;
}

/** The Observable face of a Pending: runs as its method (rxjs calls the subscribe function with `this`). */
export function subscribeToPending<T>(this: Observable<T>, subscriber: Subscriber<T>): TeardownLogic {
  const pending = this as Pending<T>;
  pending._flags |= OBSERVED;
  if (pending._s >= FULFILLED) {
    if (pending._flags & DISPATCH_DUE) addListener(pending, subscriber);
    else deliver(subscriber, pending);
    return undefined;
  }
  const deadlock = checkWait?.(pending);
  if (deadlock) {
    subscriber.error(deadlock);
    return undefined;
  }
  addListener(pending, subscriber);
  rememberZone(subscriber);
  pending._retain();
  // Unsubscribing takes the subscriber off the pending, also after settlement while its listeners still
  // wait their turn (DISPATCH_DUE); before settlement it may cancel the pending (release ignores a settled one).
  return () => {
    // Stryker disable next-line BooleanLiteral: a subscriber is registered once, so its first registration is its only one
    removeListener(pending, subscriber, false);
    pending._release('unsubscribed');
  };
}

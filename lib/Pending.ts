import { EmptyError, Observable, asyncScheduler, from, type ObservableInput, type Subscriber, type Subscription, type TeardownLogic } from 'rxjs';
import { DeadlockError, PendingCancelled, PendingNotDone, PendingTimeout } from './errors.js';
import { findDeadlock } from './internal/deadlock.js';
import { isObservableInput } from './internal/isObservableInput.js';
import type { GroupLike } from './internal/membership.js';
import { reportError } from './internal/report.js';
import { scheduleTimeout } from './internal/scheduleTimeout.js';
import { noteSettled } from './internal/unobserved.js';
import { expectDuration, expectFunction, expectOptionsObject, got } from './internal/validate.js';

/** The life of a {@link Pending}: it moves forward only, and ends in one of the three last states. */
export type PendingState = 'pending' | 'cancelling' | 'fulfilled' | 'rejected' | 'cancelled';

/** Options of `new Pending()`. */
export interface PendingOptions {
  /** Kept as given; callers store `fn`, `args` and `caller` here. @default {} */
  metadata?: Record<string, unknown>;
  /** Opt out of cancellation when the last subscriber unsubscribes. @default false */
  protect?: boolean;
  /** An outside signal: aborting it cancels the pending. The listener is removed at settlement. */
  signal?: AbortSignal;
}

/** Options of {@link Pending.from}. */
export interface PendingFromOptions<T> {
  /** Opt out of cancellation when the last subscriber unsubscribes. @default false */
  protect?: boolean;
  /** The result when the source completes without a value (else it rejects with rxjs's `EmptyError`). */
  defaultValue?: T;
}

/** Options of {@link Pending.wait}. */
export interface PendingWaitOptions {
  /** Reject with `PendingTimeout` after this many ms. @default no timeout */
  timeout?: number;
  /** On timeout, leave the pending running instead of cancelling it. @default false */
  protect?: boolean;
}

type DoneCallback<T> = (pending: Pending<T>) => void;
/**
 * A done callback, or a subscriber waiting for settlement. Stored untyped so that `Pending<T>` stays
 * covariant in `T` (a `Pending<string>` is a `Pending<unknown>`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = DoneCallback<any> | Subscriber<any>;

// States as small integers: compared on every settlement, mapped to names only when read.
const PENDING = 0;
const CANCELLING = 1;
const FULFILLED = 2;
const REJECTED = 3;
const CANCELLED = 4;
const STATE_NAMES: readonly PendingState[] = ['pending', 'cancelling', 'fulfilled', 'rejected', 'cancelled'];

const PROTECTED = 1;
const OBSERVED = 2;


/**
 * A cancellable future that is at once a hot, replaying `Observable<T>` and a `PromiseLike<T>`.
 *
 * It settles once: fulfilled with a value, rejected with an error, or cancelled. Subscribers get
 * `next(value)` + `complete()` (or `error`) synchronously at settlement, or at once if already settled;
 * subscribing never starts work. When the last subscriber unsubscribes before settlement the pending is
 * cancelled (unless `protect`); promise awaiters and done callbacks never cancel. Awaiting or subscribing
 * to a cancelled pending gives {@link PendingCancelled}.
 *
 * @example
 * import { Pending } from 'rxjs-caller';
 * const p = new Pending<number>();
 * p.subscribe((v) => console.log('observed', v));
 * setTimeout(() => p.setResult(42), 10);
 * console.log('awaited', await p);
 */
export class Pending<T> extends Observable<T> implements PromiseLike<T> {
  /** @internal */ _s: number = PENDING;
  /** @internal value, error or PendingCancelled once settled */ _v: unknown;
  /** @internal */ _listeners: Listener | Listener[] | undefined;
  /** @internal live subscribers, for refcount cancellation */ _subscribers = 0;
  /** @internal PROTECTED | OBSERVED */ _flags: number;
  /** @internal */ _canceller: ((reason: string) => void) | undefined;
  /** @internal */ _reasons: string[] | undefined;
  /** @internal made when `signal` is first read */ _abort: AbortController | undefined;
  /** @internal */ _metadata: Record<string, unknown> | undefined;
  /** @internal made when `then` is first used */ _promise: Promise<T> | undefined;
  /** @internal what this pending's work is waiting for, for deadlock detection */ _awaiting: Pending<unknown> | Pending<unknown>[] | undefined;
  /** @internal the group whose context this pending's work runs in (passed on to calls it makes) */ _group: GroupLike | undefined;

  /**
   * @param options `metadata`, `protect` (no refcount cancellation) and `signal` (an outside AbortSignal).
   * @throws TypeError when an option has the wrong type.
   */
  constructor(options?: PendingOptions) {
    super(subscribeToPending);
    this._flags = 0;
    if (options !== undefined) {
      expectOptionsObject('options', options);
      const { metadata, protect, signal } = options;
      if (metadata !== undefined) {
        if (metadata === null || typeof metadata !== 'object') throw new TypeError(`Expected \`options.metadata\` to be an object, got ${got(metadata)}`);
        this._metadata = metadata;
      }
      if (protect) this._flags = PROTECTED;
      if (signal !== undefined) linkSignal(this, signal);
    }
  }

  /**
   * The cold-to-hot bridge: subscribes to `input` at once (calling it first if it is a thunk) and settles
   * with the **last** value when it completes. Completing with no value rejects with rxjs's `EmptyError`
   * unless `defaultValue` is given. Cancelling the pending unsubscribes the source. A `Pending` input is
   * returned as it is.
   *
   * @example
   * import { Pending } from 'rxjs-caller';
   * import { interval, take } from 'rxjs';
   * const last = await Pending.from(interval(10).pipe(take(3))); // 2
   * @throws TypeError when `input` is neither an ObservableInput nor a function.
   */
  static from<T>(input: ObservableInput<T> | (() => ObservableInput<T>), options?: PendingFromOptions<T>): Pending<T> {
    if (input instanceof Pending) return input;
    if (typeof input !== 'function' && !isObservableInput(input)) {
      throw new TypeError(`Expected \`input\` to be an ObservableInput (Observable, Promise, iterable, async iterable) or a function returning one, got ${got(input)}`);
    }
    expectOptionsObject('options', options);
    const pending = new Pending<T>(options?.protect ? { protect: true } : undefined);
    let source: ObservableInput<T>;
    try {
      source = typeof input === 'function' ? input() : input;
      if (!isObservableInput(source)) throw new TypeError(`Expected the function given to \`Pending.from\` to return an ObservableInput, got ${got(source)}`);
    } catch (error) {
      pending.setException(error);
      return pending;
    }
    if (source instanceof Promise) {
      // A native promise needs no rxjs Subscriber chain: one reaction is 2-3x faster, and it is paid per
      // promise member of gather, asCompleted and wait. No canceller: with none, cancel() settles at once,
      // and the late outcome is then ignored, as unsubscribing from the promise would do.
      source.then(
        (value: T) => pending.setResult(value),
        (error: unknown) => pending.setException(error),
      );
      return pending;
    }
    const hasDefault = options !== undefined && 'defaultValue' in options;
    let last: T | undefined;
    let hasValue = false;
    const subscription = from(source).subscribe({
      next: (value) => {
        last = value;
        hasValue = true;
      },
      error: (error: unknown) => pending.setException(error),
      complete: () => {
        if (hasValue) pending.setResult(last as T);
        else if (hasDefault) pending.setResult(options.defaultValue as T);
        else pending.setException(new EmptyError());
      },
    });
    if (!pending.done) {
      pending.setCanceller(() => {
        // A throwing teardown is reported by cancel(); it must not leave the pending `cancelling` forever.
        try {
          subscription.unsubscribe();
        } finally {
          pending._settleCancelled();
        }
      });
    }
    return pending;
  }

  /** Where the pending is in its life. */
  get state(): PendingState {
    return STATE_NAMES[this._s]!;
  }

  /** Whether it settled: fulfilled, rejected or cancelled. */
  get done(): boolean {
    return this._s >= FULFILLED;
  }

  /** Whether a cancel was requested (true while `cancelling` too). */
  get cancelled(): boolean {
    return this._s === CANCELLING || this._s === CANCELLED;
  }

  /** Whether the last subscriber unsubscribing leaves it running. */
  get protected(): boolean {
    return (this._flags & PROTECTED) !== 0;
  }

  /** Aborted when `cancel()` is first requested; its `reason` is a {@link PendingCancelled}. */
  get signal(): AbortSignal {
    let controller = this._abort;
    if (controller === undefined) {
      controller = this._abort = new AbortController();
      if (this.cancelled) controller.abort(new PendingCancelled(this._reasons));
    }
    return controller.signal;
  }

  /** Free-form data about the pending; callers store `fn`, `args` and `caller` here. */
  get metadata(): Record<string, unknown> {
    return (this._metadata ??= {});
  }

  /**
   * The value of a fulfilled pending.
   * @throws PendingNotDone before settlement, PendingCancelled if cancelled, the stored error if rejected.
   */
  result(): T {
    // A read before settlement saw no outcome: it must not silence a later unobserved-failure report.
    if (this._s < FULFILLED) throw new PendingNotDone();
    this._flags |= OBSERVED;
    if (this._s === FULFILLED) return this._v as T;
    throw this._v;
  }

  /**
   * The error of a rejected pending, or `undefined` if it fulfilled.
   * @throws PendingNotDone before settlement, PendingCancelled if cancelled.
   */
  exception(): unknown {
    if (this._s < FULFILLED) throw new PendingNotDone();
    this._flags |= OBSERVED;
    if (this._s === CANCELLED) throw this._v;
    return this._s === REJECTED ? this._v : undefined;
  }

  /**
   * Fulfils the pending with `value`. The first settlement wins; a pending that is `cancelling` ends
   * `cancelled` whatever arrives.
   * @returns whether this call settled it.
   */
  setResult(value: T): boolean {
    return settle(this, FULFILLED, value);
  }

  /**
   * Rejects the pending with `error`. The first settlement wins; a `cancelling` pending ends `cancelled`.
   * @returns whether this call settled it.
   */
  setException(error: unknown): boolean {
    return settle(this, REJECTED, error);
  }

  /**
   * Requests cancellation: aborts `signal` and calls the canceller. With no canceller the pending is
   * `cancelled` at once; with one it is `cancelling` until settled, and then ends `cancelled`. Reasons
   * accumulate into the {@link PendingCancelled} message.
   * @returns `true` if the pending is now cancelled or cancelling, `false` if it had already settled otherwise.
   * @throws TypeError when `reason` is not a string.
   */
  cancel(reason = ''): boolean {
    if (typeof reason !== 'string') throw new TypeError(`Expected \`reason\` to be a string, got ${got(reason)}`);
    if (this._s >= FULFILLED) return this._s === CANCELLED;
    (this._reasons ??= []).push(reason);
    if (this._s === CANCELLING) return true;
    // From here on any settlement ends `cancelled`, even one made by an abort listener below.
    this._s = CANCELLING;
    this._abort?.abort(new PendingCancelled(this._reasons));
    const canceller = this._canceller;
    if (this._s !== CANCELLING) return true;
    if (canceller === undefined) {
      this._settleCancelled();
      return true;
    }
    try {
      canceller(reason);
    } catch (error) {
      reportError(error);
    }
    return true;
  }

  /**
   * Installs the function that carries a cancel request to the running work. It is called once, with
   * the first reason; the work (or the canceller) must then settle the pending.
   * @throws TypeError when `canceller` is not a function.
   */
  setCanceller(canceller: (reason: string) => void): void {
    expectFunction('canceller', canceller);
    if (this._s >= FULFILLED) return;
    if (this._s === CANCELLING) {
      try {
        canceller(this._reasons?.join('; ') ?? '');
      } catch (error) {
        reportError(error);
      }
      return;
    }
    this._canceller = canceller;
  }

  /**
   * Runs `callback(pending)` synchronously at settlement, after those added before it; at once if the
   * pending has already settled. A throwing callback is reported; the others still run.
   * @throws TypeError when `callback` is not a function.
   */
  addDoneCallback(callback: (pending: Pending<T>) => void): void {
    expectFunction('callback', callback);
    this._flags |= OBSERVED;
    if (this._s >= FULFILLED) callListener(callback, this);
    else addListener(this, callback);
  }

  /**
   * Removes every registration of `callback`.
   * @returns how many were removed.
   */
  removeDoneCallback(callback: (pending: Pending<T>) => void): number {
    return removeListener(this, callback, true);
  }

  /**
   * A promise of the result. With `timeout`, it rejects with {@link PendingTimeout} after that many ms
   * (timed on RxJS's `asyncScheduler`, so virtual inside `TestScheduler.run()`) and cancels the pending
   * unless `protect`.
   * @throws RangeError when `timeout` is negative or NaN.
   */
  wait(options?: PendingWaitOptions): Promise<T> {
    expectOptionsObject('options', options);
    const timeout = options?.timeout;
    if (timeout !== undefined) expectDuration('options.timeout', timeout, true);
    const deadlock = this._deadlock();
    if (deadlock) return Promise.reject(deadlock);
    this._flags |= OBSERVED;
    if (timeout === undefined || timeout === Infinity || this._s >= FULFILLED) {
      // Handed out as it is: marked handled, so a rejection nobody awaits never surfaces as `unhandledRejection`.
      const promise = promiseOf(this);
      promise.catch(noop);
      return promise;
    }
    return new Promise<T>((resolve, reject) => {
      let timer: Subscription | undefined;
      const onDone = (p: Pending<T>) => {
        timer?.unsubscribe();
        if (p._s === FULFILLED) resolve(p._v as T);
        else reject(p._v);
      };
      timer = scheduleTimeout(asyncScheduler, timeout, () => {
        removeListener(this, onDone, false);
        reject(new PendingTimeout(timeout));
        if (!options?.protect) this.cancel(`timed out after ${timeout} ms`);
      });
      addListener(this, onDone);
    });
  }

  /** Cancels the pending and resolves once it has settled (never rejects). */
  cancelWait(reason?: string): Promise<void> {
    this.cancel(reason);
    this._flags |= OBSERVED;
    if (this._s >= FULFILLED) return Promise.resolve();
    return new Promise<void>((resolve) => addListener(this, () => resolve()));
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    this._flags |= OBSERVED;
    const deadlock = this._deadlock();
    if (deadlock) return Promise.reject(deadlock).then(onfulfilled, onrejected);
    return promiseOf(this).then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onfinally);
  }

  override toString(): string {
    return `<Pending ${this.state}${this._reasons?.length ? ` (${this._reasons.filter(Boolean).join('; ')})` : ''}>`;
  }

  /** @internal Settles a cancel request: the pending ends `cancelled`. */
  _settleCancelled(): boolean {
    if (this._s >= FULFILLED) return false;
    this._s = CANCELLING;
    return settle(this, CANCELLED, undefined);
  }

  /**
   * @internal Counts one more observer for refcount cancellation, as a subscriber does (combinators that
   * wait with a passive callback instead of subscribing, for speed, use it to keep the refcount rule).
   */
  _retain(): void {
    this._flags |= OBSERVED;
    this._subscribers++;
  }

  /** @internal Drops an observer counted by `_retain`: the last one leaving before settlement cancels (unless protected). */
  _release(reason: string): void {
    if (this._s < FULFILLED && --this._subscribers === 0 && !(this._flags & PROTECTED)) this.cancel(reason);
  }

  /** @internal Adds a callback that does not count as observing the pending. */
  _addPassiveCallback(callback: DoneCallback<T>): void {
    if (this._s >= FULFILLED) callListener(callback, this);
    else addListener(this, callback);
  }

  /** @internal */
  _removePassiveCallback(callback: DoneCallback<T>): void {
    removeListener(this, callback, false);
  }

  /** @internal Whether anything observed the outcome (for unobserved-failure reports). */
  get _observed(): boolean {
    return (this._flags & OBSERVED) !== 0;
  }

  /** @internal Marks the outcome as seen by a combinator that takes responsibility for it. */
  _markObserved(): void {
    this._flags |= OBSERVED;
  }

  /** @internal A DeadlockError if the current work waiting on this pending would close a cycle. */
  _deadlock(): DeadlockError | undefined {
    return this._s >= FULFILLED ? undefined : findDeadlock(this);
  }
}

/** Observable face: runs as a method of the Pending (rxjs calls the subscribe function with `this`). */
function subscribeToPending<T>(this: Observable<T>, subscriber: Subscriber<T>): TeardownLogic {
  const pending = this as Pending<T>;
  pending._flags |= OBSERVED;
  if (pending._s >= FULFILLED) {
    deliver(subscriber, pending);
    return undefined;
  }
  const deadlock = findDeadlock(pending);
  if (deadlock) {
    subscriber.error(deadlock);
    return undefined;
  }
  addListener(pending, subscriber);
  pending._retain();
  return () => {
    if (pending._s < FULFILLED && removeListener(pending, subscriber, false) > 0) pending._release('unsubscribed');
  };
}

function deliver<T>(subscriber: Subscriber<T>, pending: Pending<T>): void {
  if (pending._s === FULFILLED) {
    subscriber.next(pending._v as T);
    subscriber.complete();
  } else {
    subscriber.error(pending._v);
  }
}

function settle<T>(pending: Pending<T>, state: number, value: unknown): boolean {
  const from = pending._s;
  if (from >= FULFILLED) return false;
  if (from === CANCELLING) {
    // Cancellation is sticky: whatever the work delivers, a cancelled pending ends cancelled.
    value = new PendingCancelled(pending._reasons, state === REJECTED ? { cause: value } : undefined);
    state = CANCELLED;
  }
  pending._s = state;
  pending._v = value;
  pending._canceller = undefined;
  pending._awaiting = undefined;
  const listeners = pending._listeners;
  if (listeners !== undefined) {
    pending._listeners = undefined;
    if (Array.isArray(listeners)) for (const listener of listeners) callListener(listener, pending);
    else callListener(listeners, pending);
  }
  if (state === REJECTED) noteSettled(pending);
  return true;
}

function callListener<T>(listener: Listener, pending: Pending<T>): void {
  if (typeof listener !== 'function') return deliver(listener, pending);
  try {
    listener(pending);
  } catch (error) {
    reportError(error);
  }
}

function addListener<T>(pending: Pending<T>, listener: Listener): void {
  const current = pending._listeners;
  if (current === undefined) pending._listeners = listener;
  else if (Array.isArray(current)) current.push(listener);
  else pending._listeners = [current, listener];
}

/** Removes `listener` (every registration when `all`, else the first); returns how many went. */
function removeListener<T>(pending: Pending<T>, listener: Listener, all: boolean): number {
  const current = pending._listeners;
  if (current === listener) {
    pending._listeners = undefined;
    return 1;
  }
  if (!Array.isArray(current)) return 0;
  let removed = 0;
  for (let i = current.length - 1; i >= 0; i--) {
    if (current[i] === listener) {
      current.splice(i, 1);
      removed++;
      if (!all) break;
    }
  }
  return removed;
}

function promiseOf<T>(pending: Pending<T>): Promise<T> {
  let promise = pending._promise;
  if (promise === undefined) {
    if (pending._s === FULFILLED) promise = Promise.resolve(pending._v as T);
    else if (pending._s >= FULFILLED) promise = Promise.reject(pending._v);
    else {
      promise = new Promise<T>((resolve, reject) => {
        addListener(pending, (p: Pending<T>) => (p._s === FULFILLED ? resolve(p._v as T) : reject(p._v)));
      });
    }
    // No `catch(noop)` here: `then` attaches its handlers at once, and `wait` marks what it hands out
    // (one promise less per await: each costs ~50 ns more under AsyncLocalStorage's promise hooks).
    pending._promise = promise;
  }
  return promise;
}

function linkSignal(pending: Pending<unknown>, signal: AbortSignal): void {
  if (typeof signal !== 'object' || signal === null || typeof signal.addEventListener !== 'function') {
    throw new TypeError(`Expected \`options.signal\` to be an AbortSignal, got ${got(signal)}`);
  }
  const reasonOf = () => (signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'signal aborted'));
  if (signal.aborted) {
    pending.cancel(reasonOf());
    return;
  }
  const onAbort = () => pending.cancel(reasonOf());
  signal.addEventListener('abort', onAbort, { once: true });
  pending._addPassiveCallback(() => signal.removeEventListener('abort', onAbort));
}

function noop(): void {}

import { Observable, type ObservableInput, type Observer, type Subscription } from 'rxjs';
import { DeadlockError, PendingCancelled, PendingNotDone } from './errors.js';
import type { PendingFromOptions, PendingOptions, PendingState, PendingWaitOptions } from './PendingOptions.js';
import { linkSignal } from './internal/linkSignal.js';
import type { GroupLike } from './internal/membership.js';
import { ignoringCancellation, lacksErrorHandler } from './internal/ignoringCancellation.js';
import { CANCELLED, CANCELLING, FULFILLED, HELD, OBSERVED, PENDING, PROTECTED, REJECTED, STATE_NAMES } from './internal/pendingStates.js';
import { pendingFrom } from './internal/settleFromSource.js';
import { cancelPending, installCanceller } from './internal/cancellation.js';
import { addListener, callListener, failureOf, mustQueue, promiseOf, removeListener, settle, subscribeToPending, type DoneCallback, type Listener } from './internal/settlement.js';
import { noteSettled } from './internal/unobserved.js';
import { checkWait } from './internal/frameHooks.js';
import { waitWithTimeout } from './internal/waitWithTimeout.js';
import { expectBoolean, expectDuration, expectFunction, expectOptionsObject, got } from './internal/validate.js';
import { rememberZone } from './internal/zones.js';
import { isBranded } from './internal/brand.js';

export type { PendingState, PendingOptions, PendingFromOptions, PendingWaitOptions } from './PendingOptions.js';

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
  /** @internal `instanceof` across the ESM and CJS builds (lib/internal/brand.ts). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(this, value);
  }
  /** @internal */
  get __rxjsCaller(): string {
    return 'Pending';
  }
  /** @internal */ _s: number = PENDING;
  /** @internal value, error or PendingCancelled once settled (undefined for a cancellation not read yet) */ _v: unknown;
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
    // Every field set here, in one order: a pending keeps one hidden class for life (a field first set at
    // settlement, on `then` or on subscribe made a new one each), so the hot paths see one shape, and the
    // idle call `hotShapes` in schedulers/Caller.ts keeps holds that shape alive across full GCs.
    this._group = this._awaiting = this._promise = this._metadata = this._abort = this._reasons = this._canceller = this._listeners = this._v = undefined;
    if (options !== undefined) {
      expectOptionsObject('options', options);
      const { metadata, protect, signal } = options;
      if (metadata !== undefined) {
        if (metadata === null || typeof metadata !== 'object') throw new TypeError(`Expected \`options.metadata\` to be an object, got ${got(metadata)}`);
        this._metadata = metadata;
      }
      expectBoolean('options.protect', protect);
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
    return pendingFrom(Pending, input, options);
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
    throw failureOf(this);
  }

  /**
   * The error of a rejected pending, or `undefined` if it fulfilled.
   * @throws PendingNotDone before settlement, PendingCancelled if cancelled.
   */
  exception(): unknown {
    if (this._s < FULFILLED) throw new PendingNotDone();
    this._flags |= OBSERVED;
    if (this._s === CANCELLED) throw failureOf(this);
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
    return cancelPending(this, reason, undefined);
  }

  /**
   * Installs the function that carries a cancel request to the running work. It is called once, with
   * the first reason; the work (or the canceller) must then settle the pending. A canceller that throws
   * is reported to `config.onUnobservedError`, and the pending ends `cancelled` at once.
   * @throws TypeError when `canceller` is not a function.
   */
  setCanceller(canceller: (reason: string) => void): void {
    expectFunction('canceller', canceller);
    installCanceller(this, canceller);
  }

  /**
   * Runs `callback(pending)` synchronously at settlement, after those added before it; at once if the
   * pending has already settled. A pending settled from inside another settlement's callbacks runs its
   * own once those have finished (settled earlier, called earlier). A throwing callback is reported to
   * `config.onUnobservedError(error, pending)`; the others still run.
   * @throws TypeError when `callback` is not a function.
   */
  addDoneCallback(callback: (pending: Pending<T>) => void): void {
    expectFunction('callback', callback);
    this._flags |= OBSERVED;
    if (mustQueue(this)) {
      addListener(this, callback);
      rememberZone(callback);
    } else callListener(callback, this);
  }

  /**
   * Removes every registration of `callback`.
   * @returns how many were removed.
   */
  removeDoneCallback(callback: (pending: Pending<T>) => void): number {
    expectFunction('callback', callback);
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
    expectBoolean('options.protect', options?.protect);
    const deadlock = this._deadlock();
    if (deadlock) return Promise.reject(deadlock);
    this._flags |= OBSERVED;
    if (timeout === undefined || timeout === Infinity || this._s >= FULFILLED) {
      // Handed out as it is: marked handled, so a rejection nobody awaits never surfaces as `unhandledRejection`.
      const promise = promiseOf(this);
      promise.catch(noop);
      return promise;
    }
    return waitWithTimeout(this, timeout, options?.protect ?? false);
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

  override subscribe(observerOrNext?: Partial<Observer<T>> | ((value: T) => void)): Subscription;
  /** @deprecated Pass an observer instead (as RxJS 7 deprecates this form). */
  override subscribe(next?: ((value: T) => void) | null, error?: ((error: unknown) => void) | null, complete?: (() => void) | null): Subscription;
  /**
   * Observable face. A subscriber with no error handler (`pending.subscribe((v) => …)`) is not told of
   * a cancellation (DESIGN §7: a cancellation is never an unhandled error); any other error still takes
   * RxJS's unhandled-error path, and subscribers with an error handler receive `PendingCancelled`.
   */
  override subscribe(
    observerOrNext?: Partial<Observer<T>> | ((value: T) => void) | null,
    error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    if (typeof error !== 'function' && lacksErrorHandler(observerOrNext)) return super.subscribe(ignoringCancellation(this, observerOrNext, complete));
    return super.subscribe(observerOrNext as never, error as never, complete as never);
  }

  override toString(): string {
    return `<Pending ${this.state}${this._reasons?.length ? ` (${this._reasons.filter(Boolean).join('; ')})` : ''}>`;
  }

  /** @internal Settles a cancel request: the pending ends `cancelled`. */
  _settleCancelled(shared?: PendingCancelled): boolean {
    if (this._s >= FULFILLED) return false;
    this._s = CANCELLING;
    return settle(this, CANCELLED, shared);
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
    if (mustQueue(this)) addListener(this, callback);
    else callListener(callback, this);
  }

  /** @internal */
  _removePassiveCallback(callback: DoneCallback<T>): void {
    removeListener(this, callback, false);
  }

  /** @internal Whether anything observed the outcome, or a combinator holds it (for unobserved-failure reports). */
  get _observed(): boolean {
    return (this._flags & (OBSERVED | HELD)) !== 0;
  }

  /**
   * @internal A combinator takes the failure into its keeping without reading it (wait's `done` set): it
   * is not reported while held; `_releaseReport` hands it back to the unobserved-failure rule.
   */
  _holdReport(): void {
    this._flags |= HELD;
  }

  /** @internal The holder let go (delivered it, or stopped): a failure still unread is reported at the end of this tick. */
  _releaseReport(): void {
    if (!(this._flags & HELD)) return;
    this._flags &= ~HELD;
    if (this._s === REJECTED) noteSettled(this);
  }

  /** @internal Marks the outcome as seen by a combinator that takes responsibility for it. */
  _markObserved(): void {
    this._flags |= OBSERVED;
  }

  /** @internal A DeadlockError if the current work waiting on this pending would close a cycle. */
  _deadlock(): DeadlockError | undefined {
    return this._s >= FULFILLED ? undefined : checkWait?.(this);
  }
}

function noop(): void {}

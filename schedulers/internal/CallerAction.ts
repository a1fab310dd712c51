import { Subscription, type SchedulerAction } from 'rxjs';
import { runInFrame } from '../../lib/internal/context.js';
import { rememberZone, runInZone, zoneOf, zonesInUse } from '../../lib/internal/zones.js';
import { MAX_TIMER_DELAY, scheduleTimeout } from '../../lib/internal/scheduleTimeout.js';
import type { Caller } from '../Caller.js';

/** Bits of CallerAction._flags. */
const QUEUED = 1;
const CANCELLED = 2;
const ENTRY = 4;

/**
 * The action `caller.schedule()` returns — the very object that is `this` inside the work, as RxJS's
 * schedulers do, so `this.schedule(state, delay)` re-runs the same work and operators that add the
 * action to a subscriber and remove it after it runs keep nothing behind.
 *
 * An action made `unchained` (a zero-delay action scheduled behind a long queue: a burst) reports
 * `closed` from the start. `Subscription#add` then skips it, so a burst through `observeOn(caller)` does
 * not build — and splice, quadratically — a finalizer array on the subscriber: one burst stays linear.
 * Such an action belongs to the caller's queue; its `unsubscribe()` still cancels it, and RxJS's
 * operators check their subscriber before emitting. Every other action registers normally, so
 * unsubscribing a subscriber cancels its work exactly as with RxJS's own schedulers.
 */
export class CallerAction<S> extends Subscription implements SchedulerAction<S> {
  /**
   * @internal QUEUED and CANCELLED, plus ENTRY times the entries of this action in the queue: only the
   * last one runs, so a re-queued action runs at its new place. One number, not three fields: a burst
   * through `observeOn(caller)` holds one action per value until it runs, and each field is 8 bytes of it.
   */
  _flags = 0;
  /** @internal the backend action timing a delayed run (set only on actions that were ever delayed) */ _timer: Subscription | undefined;

  constructor(
    /** @internal */ readonly _caller: Caller,
    // Typed loosely so an action of any state type fits the caller's one queue.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    /** @internal */ readonly _work: (this: SchedulerAction<any>, state?: any) => void,
    unchained: boolean,
    /** @internal */ public _state?: S,
  ) {
    super();
    if (unchained) this.closed = true;
    // The work delivers values to whoever scheduled it: it runs in their zone (zone.js), not the timer's.
    rememberZone(this);
  }

  /** Runs the work again with `state` after `delay` ms (0: on the caller's queue; non-finite: never). */
  schedule(state?: S, delay = 0): Subscription {
    if (this._flags & CANCELLED) return this;
    this._state = state;
    // Stryker disable next-line EqualityOperator: `>=` differs only at 0, which this line leaves 0
    if (!(delay > 0)) delay = delay !== delay ? Infinity : 0; // negative -> now, NaN -> never
    if (delay === 0) {
      // Stryker disable next-line ConditionalExpression: the `true` mutant only adds a call _clearTimer answers with nothing
      if (this._timer !== undefined) this._clearTimer();
      if (!(this._flags & QUEUED)) {
        this._flags += QUEUED + ENTRY;
        this._caller._enqueue(this);
      }
    } else {
      this._flags &= ~QUEUED; // a queued run is superseded; the queue skips it
      this._clearTimer();
      if (delay === Infinity) return this;
      const scheduler = this._caller._scheduler;
      // Host timers fire a delay above 2^31 - 1 ms at once: such a delay is waited in steps instead.
      // Stryker disable next-line ConditionalExpression,EqualityOperator: scheduleTimeout waits a delay up to 2^31 - 1 ms in one step, as the direct timer does
      this._timer = delay <= MAX_TIMER_DELAY ? scheduler.schedule(fireTimer, delay, this) : scheduleTimeout(scheduler, delay, () => fireAction(this));
    }
    return this;
  }

  /** @internal Runs the work (from the caller's queue or a timer); errors are reported, not thrown. */
  _run(): void {
    this._flags &= ~QUEUED;
    this._caller._runWork(this);
  }

  // Subscription's own teardown runs only while the action is open: a closed one has no parent or
  // finalizer to drop (`add` skips a closed subscription, and runs a finalizer given to one at once).
  override unsubscribe(): void {
    this._flags = (this._flags | CANCELLED) & ~QUEUED;
    this._clearTimer();
    super.unsubscribe();
  }

  /**
   * @internal One of this action's queue entries is reached: whether to run it (the last entry of an
   * action still due; a cancelled action is never due).
   */
  _leaveQueue(): boolean {
    // Stryker disable next-line EqualityOperator: `<=` differs only at ENTRY exactly, one entry left and not queued, which the second test refuses too
    return (this._flags -= ENTRY) < ENTRY && (this._flags & QUEUED) !== 0;
  }

  /** @internal */
  _clearTimer(): void {
    const timer = this._timer;
    if (timer !== undefined) {
      this._timer = undefined;
      timer.unsubscribe();
    }
  }
}

function fireTimer(this: SchedulerAction<CallerAction<unknown>>, action?: CallerAction<unknown>): void {
  // Stryker disable next-line ConditionalExpression: the timer is always given its action as state; the check only narrows the type
  if (action !== undefined) fireAction(action);
}

function fireAction(action: CallerAction<unknown>): void {
  // A custom backend's timer may fire though cancelled: cancelled work never runs.
  if (action._flags & CANCELLED) return;
  action._timer = undefined;
  // The backend's timer fires outside any call frame: enter the caller's, so the work sees it as current.
  // Stryker disable next-line ConditionalExpression: the `true` mutant only asks zoneOf, which answers undefined without zones, and runInZone then calls straight through (a speed path)
  if (zonesInUse()) runInZone(zoneOf(action), runActionInFrame, action);
  else runActionInFrame(action);
}

function runActionInFrame(action: CallerAction<unknown>): void {
  runInFrame(action._caller._frame, runAction, action);
}

function runAction(action: CallerAction<unknown>): void {
  action._run();
}

import { Subscription, type SchedulerAction } from 'rxjs';
import type { Caller } from '../Caller.js';

/**
 * The action `caller.schedule()` returns — the very object that is `this` inside the work, as RxJS's
 * schedulers do, so `this.schedule(state, delay)` re-runs the same work and operators that add the
 * action to a subscriber and remove it after it runs keep nothing behind.
 *
 * Zero-delay actions report `closed` from the start: `Subscription#add` then skips them, so a burst
 * through `observeOn(caller)` does not build (and splice, quadratically) a finalizer array on the
 * subscriber. They belong to the caller's queue instead; `unsubscribe()` still cancels them, and RxJS's
 * operators check the subscriber before emitting. Delayed actions register normally, so unsubscribing
 * the subscriber clears their timers.
 */
export class CallerAction<S> extends Subscription implements SchedulerAction<S> {
  /** @internal */ _state: S | undefined;
  /** @internal */ _queued = false;
  /** @internal */ _cancelled = false;
  /** @internal the backend action timing a delayed run */ _timer: Subscription | undefined;

  constructor(
    /** @internal */ readonly _caller: Caller,
    // Typed loosely so an action of any state type fits the caller's one queue.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    /** @internal */ readonly _work: (this: SchedulerAction<any>, state?: any) => void,
    delay: number,
  ) {
    super();
    if (delay === 0) this.closed = true;
  }

  /** Runs the work again with `state` after `delay` ms (0: on the caller's queue; non-finite: never). */
  schedule(state?: S, delay = 0): Subscription {
    if (this._cancelled) return this;
    this._state = state;
    if (!(delay > 0)) delay = delay !== delay ? Infinity : 0; // negative -> now, NaN -> never
    if (delay === 0) {
      if (this._timer !== undefined) this._clearTimer();
      if (!this._queued) {
        this._queued = true;
        this._caller._enqueue(this);
      }
    } else {
      this._queued = false; // a queued run is superseded; the queue skips it
      this._clearTimer();
      if (delay !== Infinity && delay <= MAX_TIMER_DELAY) this._timer = this._caller._scheduler.schedule(fireTimer, delay, this);
    }
    return this;
  }

  /** @internal Runs the work (from the caller's queue or a timer); errors are reported, not thrown. */
  _run(): void {
    this._queued = false;
    this._caller._runWork(this);
  }

  override unsubscribe(): void {
    if (this._cancelled) return;
    this._cancelled = true;
    this._queued = false;
    this._clearTimer();
    this.closed = false; // let Subscription run its own teardown bookkeeping once
    super.unsubscribe();
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

/** Larger delays overflow Node's and browsers' timers to "immediately": treat them as never. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;

function fireTimer(this: SchedulerAction<CallerAction<unknown>>, action?: CallerAction<unknown>): void {
  if (action === undefined || action._cancelled) return;
  action._timer = undefined;
  action._run();
}

import type { SchedulerLike } from 'rxjs';
import type { Pending } from '../../lib/Pending.js';
import { MAX_TIMER_DELAY, scheduleTimeout } from '../../lib/internal/scheduleTimeout.js';
import { isPending } from '../../lib/internal/isPending.js';
import type { CallPending } from './CallPending.js';
import { fireDelayedCall } from './queueItems.js';
import { quietCallback } from '../../lib/internal/zones.js';

/**
 * The calls of a caller that are out of its queue and not settled: those waiting on a timer (`callLater`,
 * or another backend) and those whose work returned a promise. `stop()` cancels them, and `stopped` waits
 * until there are none.
 */
export class InFlightCalls {
  /** Calls whose work returned a promise and has not settled. */
  #running: Set<CallPending<unknown>> | undefined;
  /** Calls waiting on a timer. */
  #delayed: Set<CallPending<unknown>> | undefined;
  readonly #onSettled: () => void;
  readonly #cancelGrace: () => number;
  // Bookkeeping: a call waited on by these alone settles without entering its zone (see settle()).
  // Each is added to a call only after the call went into its set.
  readonly #onRunningDone = quietCallback((pending: Pending<unknown>) => {
    this.#running!.delete(pending as CallPending<unknown>);
    this.#onSettled();
  });
  readonly #onDelayedDone = quietCallback((pending: Pending<unknown>) => {
    this.#delayed!.delete(pending as CallPending<unknown>);
  });

  /**
   * @param onSettled told when a running call settled (a stopping caller may then have stopped).
   * @param cancelGrace how long (ms) a cancelled call that ignores its signal may run; read at cancel time.
   */
  constructor(onSettled: () => void, cancelGrace: () => number) {
    this.#onSettled = onSettled;
    this.#cancelGrace = cancelGrace;
  }

  get size(): number {
    return (this.#running?.size ?? 0) + (this.#delayed?.size ?? 0);
  }

  /** Runs `pending`'s call on `scheduler` after `delay` ms; cancelling it before then clears the timer. */
  startDelayed(pending: CallPending<unknown>, scheduler: SchedulerLike, delay: number): void {
    (this.#delayed ??= new Set()).add(pending);
    // Beyond 2^31 - 1 ms a host timer fires at once: scheduleTimeout waits such delays in steps.
    // The action's work is fireDelayedCall itself: RxJS hands it the state it was scheduled with, `pending`.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: scheduleTimeout waits a delay up to 2^31 - 1 ms in one step, as the direct timer does
    const timer = delay <= MAX_TIMER_DELAY ? scheduler.schedule(fireDelayedCall as (state?: CallPending<unknown>) => void, delay, pending) : scheduleTimeout(scheduler, delay, () => fireDelayedCall(pending));
    pending.setCanceller(() => {
      timer.unsubscribe();
      pending._settleCancelled();
    });
    pending._addPassiveCallback(this.#onDelayedDone);
  }

  /** Awaits what a call's work returned, with cancellation carried to it (timed by `scheduler`). */
  awaitResult(pending: CallPending<unknown>, result: PromiseLike<unknown>, then: PromiseLike<unknown>['then'], scheduler: SchedulerLike): void {
    (this.#running ??= new Set()).add(pending);
    // Asked before the canceller may need it: a hostile result (a Proxy) must not make the canceller throw.
    const inner = isPending(result) ? result : undefined;
    pending.setCanceller((reason) => {
      inner?.cancel(reason);
      // Work that ignores its signal is settled after the grace period, so nothing waits forever.
      const grace = scheduleTimeout(scheduler, this.#cancelGrace(), () => pending._settleCancelled());
      pending._addPassiveCallback(() => grace.unsubscribe());
    });
    pending._addPassiveCallback(this.#onRunningDone);
    try {
      then.call(
        result,
        (value) => pending.setResult(value),
        (error: unknown) => pending.setException(error),
      );
    } catch (error) {
      // A thenable whose `then` throws fails the call with that error (DESIGN §7); the caller goes on.
      pending.setException(error);
    }
  }

  /** Cancels every call: delayed ones at once, running ones by asking their work. */
  cancelAll(reason: string): void {
    if (this.#delayed) for (const pending of [...this.#delayed]) pending.cancel(reason);
    if (this.#running) for (const pending of [...this.#running]) pending.cancel(reason);
  }
}

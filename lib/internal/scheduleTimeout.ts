import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';

/** The longest delay a host timer honours (2^31 - 1 ms); a longer one fires at once. */
export const MAX_TIMER_DELAY = 2_147_483_647;

/**
 * Runs `fn` once after `delay` ms on `scheduler` (virtual inside `TestScheduler.run()` when it is one of
 * RxJS's schedulers or a caller). Host timers fire a delay above 2^31 - 1 ms at once, so a longer delay is
 * waited in steps; `Infinity` never fires. Unsubscribe to cancel.
 */
export function scheduleTimeout(scheduler: SchedulerLike, delay: number, fn: () => void): Subscription {
  const first = Math.min(delay, MAX_TIMER_DELAY);
  return scheduler.schedule(
    function (this: SchedulerAction<number>, rest = 0) {
      if (rest === Infinity) return;
      if (rest > 0) {
        const step = Math.min(rest, MAX_TIMER_DELAY);
        this.schedule(rest - step, step);
        return;
      }
      fn();
    },
    first,
    delay - first,
  );
}

import { asyncScheduler, type Subscription } from 'rxjs';

/**
 * Whether a zero-delay action scheduled at `scheduledAt` (RxJS's clock) will never run: a failed
 * `TestScheduler.run()` unsubscribes its actions (a failing flush) or drops them (a throwing callback),
 * after which RxJS's clock is real again, far from the virtual time the action was scheduled at. Whoever
 * waits for such an action schedules a new one instead of waiting forever.
 */
export function isAbandoned(action: Subscription, scheduledAt: number): boolean {
  return action.closed || Math.abs(asyncScheduler.now() - scheduledAt) > 1000;
}

import type { SchedulerLike, Subscription } from 'rxjs';

/**
 * The backend of a caller with `zone: 'outside'`: the given scheduler, with every tick and timer
 * scheduled through `runOutside` (Angular's `runOutsideAngular`), so zone.js ties them to Angular's outer
 * zone and they run without change detection. The values they deliver re-enter the zone each was
 * scheduled from (rxjs-caller remembers it), so templates still update.
 */
export function outsideScheduler(inner: SchedulerLike, runOutside: <T>(fn: () => T) => T): SchedulerLike {
  return {
    now: () => inner.now(),
    schedule: ((work: never, delay?: number, state?: unknown): Subscription => runOutside(() => inner.schedule(work, delay, state))) as SchedulerLike['schedule'],
  };
}

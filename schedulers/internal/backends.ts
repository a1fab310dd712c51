import { animationFrameScheduler, asapScheduler, asyncScheduler, type SchedulerLike } from 'rxjs';
import { got } from '../../lib/internal/validate.js';

/**
 * Where a caller's time comes from. Every tick, delay and `now()` of a caller goes through one of
 * RxJS's schedulers (or the one given), so `TestScheduler.run()` virtualises callers with no extra code.
 * - `'asap'` (default): batches drain in a microtask, like promise callbacks; delays use timers.
 * - `'async'`: batches drain in a timer task (`setInterval`), after pending I/O.
 * - `'animationFrame'`: batches drain before the next repaint (browsers).
 * - any `SchedulerLike`: used as it is.
 */
export type Backend = 'asap' | 'async' | 'animationFrame' | SchedulerLike;

export function resolveBackend(name: string, backend: unknown): SchedulerLike {
  switch (backend) {
    case 'asap':
      return asapScheduler;
    case 'async':
      return asyncScheduler;
    case 'animationFrame':
      return animationFrameScheduler;
  }
  if (isSchedulerLike(backend)) return backend;
  throw new TypeError(`Expected \`${name}\` to be 'asap', 'async', 'animationFrame' or a SchedulerLike, got ${got(backend)}`);
}

export function isSchedulerLike(value: unknown): value is SchedulerLike {
  return typeof value === 'object' && value !== null && typeof (value as SchedulerLike).schedule === 'function' && typeof (value as SchedulerLike).now === 'function';
}

/**
 * The scheduler a caller yields through when a drain has used up its time slice: it must reach the
 * host's event loop (a macrotask), which a microtask backend like asap never does.
 */
export function yieldSchedulerFor(scheduler: SchedulerLike): SchedulerLike {
  return scheduler === asapScheduler ? asyncScheduler : scheduler;
}

import { animationFrameScheduler, asapScheduler, asyncScheduler, type SchedulerLike } from 'rxjs';
import { got, holds } from '../../lib/internal/validate.js';

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
      // Without the host function RxJS would throw a ReferenceError later, from a timer, while the calls
      // queued on it never settle: fail here instead. TestScheduler.run() virtualises animation frames.
      if (typeof (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame !== 'function' && !isVirtualTime()) {
        throw new TypeError(`Expected \`${name}\` 'animationFrame' only where \`requestAnimationFrame\` exists, got none`);
      }
      return animationFrameScheduler;
  }
  if (holds(() => isSchedulerLike(backend))) return backend as SchedulerLike;
  throw new TypeError(`Expected \`${name}\` to be 'asap', 'async', 'animationFrame' or a SchedulerLike, got ${got(backend)}`);
}

/** Asked through holds(), which also answers false for null (reading its properties throws). */
function isSchedulerLike(value: unknown): value is SchedulerLike {
  return typeof value === 'object' && typeof (value as SchedulerLike).schedule === 'function' && typeof (value as SchedulerLike).now === 'function';
}

/**
 * The scheduler a caller yields through when a drain has used up its time slice: it must reach the
 * host's event loop (a macrotask), which a microtask backend like asap never does.
 */
export function yieldSchedulerFor(scheduler: SchedulerLike): SchedulerLike {
  return scheduler === asapScheduler ? asyncScheduler : scheduler;
}

/** The wall clock when this module loaded, less a second (see isVirtualTime). */
const LOADED_AT = Date.now() - 1000;

/**
 * Whether RxJS's clock is virtual (inside `TestScheduler.run()`): asapScheduler then reads the test
 * scheduler's frame, far from the wall clock. In real time, the 'asap' backend's zero-delay tick is taken
 * directly as a promise job — what asapScheduler does underneath, without its per-tick bookkeeping
 * (~0.6 µs a tick) — and in virtual time it goes through asapScheduler, so marble tests see exact frames.
 */
export function isVirtualTime(): boolean {
  // One clock read per tick, not two (each costs ~40 ns here): virtual frames count from 0, far below
  // the wall clock at load. A wall clock set back below that only takes the slower, always-right path.
  // Stryker disable next-line EqualityOperator: the clock reads the load time less a second only on a wall clock set back to that very millisecond
  return asapScheduler.now() < LOADED_AT;
}

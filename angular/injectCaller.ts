import { DestroyRef, NgZone, assertInInjectionContext, inject } from '@angular/core';
import { currentZone, setZone } from '../lib/internal/zones.js';
import { expectOptionsObject, got } from '../lib/internal/validate.js';
import { Caller, type Backend } from '../schedulers/Caller.js';
import { resolveBackend } from '../schedulers/internal/backends.js';
import { outsideScheduler } from './internal/outsideScheduler.js';
import { APP_CALLER } from './provideCallers.js';

/** Where a caller made by {@link injectCaller} runs its work, when zone.js is loaded. */
export type CallerZone = 'inside' | 'outside';

/** Options of {@link injectCaller}. */
export interface InjectCallerOptions {
  /** The caller's name (shown by `toString()`). @default `caller-<id>` */
  name?: string;
  /** Where its time comes from. @default the app caller's backend, else 'asap' */
  backend?: Backend;
  /**
   * `'inside'`: the caller's work runs in the zone it was queued from (inside Angular for a component),
   * as any RxJS scheduler's does; each tick or timer is a zone task, and change detection follows it.
   * `'outside'`: its ticks, timers, calls and worker threads run outside Angular (no change detection
   * per call or tick; `whenStable()` does not wait for its timers), while values scheduled on it
   * (`observeOn`, `debounceTime(…, caller)`) and the settlement of its calls are delivered back in the
   * zone they were subscribed or made in, so templates update. Without zone.js (zoneless apps) both
   * are the same.
   * @default 'inside'
   */
  zone?: CallerZone;
}

/**
 * A caller for the component, directive or service being created, stopped (with its worker threads)
 * when that injection context is destroyed (`DestroyRef`). A child of the app caller when
 * {@link provideCallers} is used. Must be called in an injection context (a constructor, a field
 * initializer, `runInInjectionContext`).
 *
 * @example
 * import { Component } from '@angular/core';
 * import { injectCaller } from 'rxjs-caller/angular';
 * @Component({ selector: 'app-search', template: '…' })
 * export class SearchComponent {
 *   readonly ui = injectCaller({ name: 'search-ui' });                     // debounce, observeOn
 *   readonly work = injectCaller({ name: 'search-work', zone: 'outside' }); // toThread, heavy calls
 * }
 * @param options `name`, `backend` and `zone` (default `'inside'`).
 * @returns a running Caller, stopped on destroy.
 * @throws TypeError when an option is bad; Angular's error when called outside an injection context.
 */
export function injectCaller(options?: InjectCallerOptions): Caller {
  assertInInjectionContext(injectCaller);
  expectOptionsObject('options', options);
  const zone = options?.zone ?? 'inside';
  if (zone !== 'inside' && zone !== 'outside') throw new TypeError(`Expected \`options.zone\` to be 'inside' or 'outside', got ${got(zone)}`);
  const parent = inject(APP_CALLER, { optional: true });
  let backend = options?.backend ?? parent?.backend;
  // Angular's outer zone (zone.js loaded and Angular using it) is the caller's own: its calls run there,
  // and its backend schedules ticks and timers from there. Zoneless (no zone.js, or NoopNgZone) there is
  // nothing to step out of.
  const ngZone = zone === 'outside' ? inject(NgZone) : undefined;
  const outer = ngZone?.runOutsideAngular(currentZone);
  const outside = ngZone !== undefined && outer !== undefined && outer !== ngZone.run(currentZone);
  if (outside) backend = outsideScheduler(resolveBackend('options.backend', backend ?? 'asap'), (fn) => ngZone.runOutsideAngular(fn));
  const caller = new Caller({ name: options?.name, backend });
  if (outside) setZone(caller, outer);
  if (parent?.running) parent._adoptChild(caller);
  inject(DestroyRef).onDestroy(() => caller.stop({ force: true }));
  return caller;
}

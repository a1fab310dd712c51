/**
 * zone.js support without a dependency on it. Where zone.js is loaded (Angular with zones), every
 * callback made on a user's behalf runs in the zone that was current when its call or subscription was
 * made (DESIGN §7): a batch drained in one tick, or a worker's answer, would otherwise run in the zone of
 * whoever scheduled that tick or started that worker, and Angular would not see the change.
 *
 * Zones are remembered in a WeakMap keyed by the call, action or listener, made only once zone.js is
 * seen: without zone.js nothing is allocated and each check is one read of a module variable.
 */

/** The part of zone.js's `Zone` this package uses. */
export interface ZoneLike {
  run<R>(callback: (...args: never[]) => R, applyThis?: unknown, applyArgs?: unknown[]): R;
}

interface ZoneStatic {
  readonly current: ZoneLike;
}

/** The zones of calls, actions and listeners; made when the first zone is remembered. */
let zones: WeakMap<object, ZoneLike> | undefined;

/** The zone current now, or undefined where zone.js is not loaded. */
export function currentZone(): ZoneLike | undefined {
  return (globalThis as { Zone?: ZoneStatic }).Zone?.current;
}

/** Whether any zone has been remembered (false until zone.js is seen: the fast paths check only this). */
export function zonesInUse(): boolean {
  return zones !== undefined;
}

/** Remembers the current zone for `key` (nothing where zone.js is not loaded). */
export function rememberZone(key: object): void {
  const zone = currentZone();
  if (zone !== undefined) (zones ??= new WeakMap()).set(key, zone);
}

/** Remembers `zone` for `key`, or forgets the one remembered when `zone` is undefined. */
export function setZone(key: object, zone: ZoneLike | undefined): void {
  if (zone !== undefined) (zones ??= new WeakMap()).set(key, zone);
  else zones?.delete(key);
}

/** The zone remembered for `key`. */
export function zoneOf(key: object): ZoneLike | undefined {
  return zones?.get(key);
}

/**
 * The zone remembered for `key` when it is not the current one: the zone to enter before running for
 * `key`. Callers re-enter themselves through `zone.run`, where this then gives undefined.
 */
export function zoneToEnter(key: object): ZoneLike | undefined {
  const zone = zones?.get(key);
  return zone !== undefined && zone !== currentZone() ? zone : undefined;
}

/** Runs `fn(arg)` in `zone`, entering it only when it is not current already. */
export function runInZone<A, R>(zone: ZoneLike | undefined, fn: (arg: A) => R, arg: A): R {
  if (zone === undefined || zone === currentZone()) return fn(arg);
  return zone.run(fn as (...args: never[]) => R, undefined, [arg]);
}

/** Internal bookkeeping callbacks that never need a zone (a caller forgetting a settled call). */
const quiet = new WeakSet<object>();

/** Marks `callback` as bookkeeping: a pending waited on only by such callbacks settles without entering a zone. */
export function quietCallback<F extends object>(callback: F): F {
  quiet.add(callback);
  return callback;
}

/** Whether any of `listeners` (one, or an array) is more than bookkeeping. */
export function hasAudience(listeners: object | readonly object[] | undefined): boolean {
  return Array.isArray(listeners) ? listeners.some((listener: object) => !quiet.has(listener)) : listeners !== undefined && !quiet.has(listeners);
}

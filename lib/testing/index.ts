import { TestScheduler } from 'rxjs/testing';

/**
 * Copies `value` with every error in it replaced by `{ name, message }`. Errors that cross threads or
 * realms are not `instanceof` their class and carry stacks that never match, so marble expectations
 * compare what matters.
 */
export function errorsByNameAndMessage(value: unknown, seen = new Set<unknown>()): unknown {
  if (value instanceof Error || isErrorLike(value)) return { name: (value as Error).name, message: (value as Error).message };
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => errorsByNameAndMessage(v, seen));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, errorsByNameAndMessage(v, seen)]));
}

function isErrorLike(value: unknown): boolean {
  return Object.prototype.toString.call(value) === '[object Error]';
}

/**
 * A `TestScheduler` for marble tests of callers, pendings and the operators: it compares notifications
 * with your deep-equality assertion after replacing errors by `{ name, message }`. Inside its `run()`
 * every caller (whatever its backend among RxJS's schedulers) runs in virtual time.
 *
 * @example
 * import { createCallerTestScheduler } from 'rxjs-caller/testing';
 * import { Caller } from 'rxjs-caller';
 * const testScheduler = createCallerTestScheduler((actual, expected) => expect(actual).toEqual(expected));
 * testScheduler.run(({ expectObservable }) => {
 *   expectObservable(new Caller().callLater(30, () => 'x')).toBe('30ms (x|)');
 * });
 * @param assertDeepEqual throws when `actual` and `expected` differ (jest: `expect(a).toEqual(e)`).
 */
export function createCallerTestScheduler(assertDeepEqual: (actual: unknown, expected: unknown) => void): TestScheduler {
  return new TestScheduler((actual, expected) => assertDeepEqual(errorsByNameAndMessage(actual), errorsByNameAndMessage(expected)));
}

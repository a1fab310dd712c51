import { TestScheduler } from 'rxjs/testing';

/** Replaces errors (anywhere in a value) by `{ name, message }`, so expectations compare what matters. */
export function errorsByNameAndMessage(value: unknown, seen = new Set<unknown>()): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => errorsByNameAndMessage(v, seen));
  if (value instanceof Set || value instanceof Map) return value;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, errorsByNameAndMessage(v, seen)]));
}

/** A TestScheduler whose deep-equality compares errors by `{ name, message }`. */
export function createTestScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => {
    expect(errorsByNameAndMessage(actual)).toEqual(errorsByNameAndMessage(expected));
  });
}

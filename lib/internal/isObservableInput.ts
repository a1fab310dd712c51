import { Observable, observable, type ObservableInput } from 'rxjs';

/** The same kinds of input rxjs's `from` accepts, checked without converting. */
export function isObservableInput(value: unknown): value is ObservableInput<unknown> {
  if (value instanceof Observable || typeof value === 'string') return true;
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const v = value as Record<PropertyKey, unknown>;
  return (
    typeof v[observable as unknown as string] === 'function' ||
    typeof v.then === 'function' ||
    (typeof value === 'object' && typeof v.length === 'number') ||
    typeof v[Symbol.iterator] === 'function' ||
    typeof v[Symbol.asyncIterator] === 'function' ||
    typeof v.getReader === 'function'
  );
}

import { Subscriber, type Observer } from 'rxjs';
import type { Pending } from '../Pending.js';
import { CANCELLED } from './pendingStates.js';

/**
 * A cancellation is never an unhandled error (DESIGN §7): a subscriber with no error handler
 * (`pending.subscribe((v) => …)`) must not crash the process because its pending was cancelled.
 */

/** Whether a subscribe argument leaves errors to RxJS's unhandled-error path (a Subscriber forwards them). */
export function lacksErrorHandler(observerOrNext: unknown): boolean {
  if (observerOrNext === null || observerOrNext === undefined || typeof observerOrNext === 'function') return true;
  return !(observerOrNext instanceof Subscriber) && typeof (observerOrNext as Partial<Observer<unknown>>).error !== 'function';
}

/**
 * The observer for a subscriber that has no error handler: the same `next` and `complete` (called on the
 * user's observer, so `this` stays theirs), and an error handler that drops this pending's cancellation
 * and rethrows anything else — which RxJS then reports exactly as if there were no handler.
 */
export function ignoringCancellation<T>(
  pending: Pending<T>,
  observerOrNext: Partial<Observer<T>> | ((value: T) => void) | null | undefined,
  complete: (() => void) | null | undefined,
): Partial<Observer<T>> {
  const onError = (error: unknown) => {
    if (pending._s !== CANCELLED) throw error;
  };
  if (typeof observerOrNext === 'function' || observerOrNext === null || observerOrNext === undefined) {
    return { next: observerOrNext ?? undefined, error: onError, complete: complete ?? undefined };
  }
  const observer = observerOrNext;
  return { next: (value) => observer.next?.(value), error: onError, complete: () => observer.complete?.() };
}

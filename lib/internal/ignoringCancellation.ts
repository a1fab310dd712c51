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
 * The observer for a subscriber that has no error handler: the same `next` and `complete` (an observer's
 * own methods are called on it, so `this` stays theirs), and an error handler that drops this pending's
 * cancellation and rethrows anything else — which RxJS then reports exactly as if there were no handler.
 * One object per such subscription, no closures.
 */
export function ignoringCancellation<T>(
  pending: Pending<T>,
  observerOrNext: Partial<Observer<T>> | ((value: T) => void) | null | undefined,
  complete: (() => void) | null | undefined,
): Partial<Observer<T>> {
  return new CancellationTolerantObserver(pending, typeof observerOrNext === 'object' && observerOrNext !== null ? observerOrNext : { next: observerOrNext ?? undefined, complete: complete ?? undefined });
}

class CancellationTolerantObserver<T> implements Observer<T> {
  constructor(
    private readonly p: Pending<T>,
    private readonly o: Partial<Observer<T>>,
  ) {}

  next(value: T): void {
    this.o.next?.(value);
  }

  error(error: unknown): void {
    if (this.p._s !== CANCELLED) throw error;
  }

  complete(): void {
    this.o.complete?.();
  }
}

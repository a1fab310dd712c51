import { takeWhile, type Observable, type Subscriber } from 'rxjs';

/**
 * Subscribes `observer` to `source` for as long as `subscriber` (the combinator's own subscriber) is open,
 * and ties the two subscriptions together; the source's error errors `subscriber`. A plain `source.subscribe()` returns only after a synchronous
 * source has emitted everything, so a combinator that errors on the first of a million synchronous values
 * could not stop the rest; `takeWhile` closes the source at the next value instead.
 */
export function subscribeWhileOpen<T>(source: Observable<T>, subscriber: Subscriber<unknown>, next: (value: T) => void, complete: () => void): void {
  subscriber.add(source.pipe(takeWhile(() => !subscriber.closed)).subscribe({ next, error: (error: unknown) => subscriber.error(error), complete }));
}

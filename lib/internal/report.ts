import { Observable } from 'rxjs';

/**
 * Reports an error from user code (a done callback, a canceller, a caller's work) the way RxJS reports
 * an unhandled error: asynchronously, through `rxjs.config.onUnhandledError` if set, else thrown from
 * RxJS's timeout provider — which `TestScheduler.run()` virtualises, so it surfaces from `run()`.
 * Going through a subscriber with no error handler reaches that path with public API only.
 */
export function reportError(error: unknown): void {
  new Observable<never>((subscriber) => subscriber.error(error)).subscribe();
}

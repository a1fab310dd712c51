import { Observable } from 'rxjs';
import type { Pending } from '../Pending.js';
import { threadState } from './threadState.js';

/**
 * The one sink for errors nobody can catch (DESIGN §7): an error thrown by user code that has no pending
 * to carry it — a `callDirect` or `queueCall` function, a done callback, a canceller — goes to
 * `config.onUnobservedError(error, pending?)` at once, and never further. It never throws: a library
 * must not crash its host, nor cut short the queue or the settlement it reports from.
 */
export function reportError(error: unknown, pending?: Pending<unknown>): void {
  try {
    threadState.config.onUnobservedError(error, pending);
  } catch (sinkError) {
    reportSinkFailure(sinkError, error);
  }
}

/**
 * The sink itself threw: it cannot report to itself (that could loop), so both errors go to the console,
 * once. Nothing is rethrown, whatever the console does.
 */
function reportSinkFailure(sinkError: unknown, error: unknown): void {
  try {
    console.error('rxjs-caller: config.onUnobservedError threw', sinkError, 'while reporting', error);
  } catch {
    // A console that throws leaves nowhere to report to.
  }
}

/**
 * Reports an error from work given to `schedule()` (an RxJS action) the way RxJS's own schedulers do:
 * asynchronously, through `rxjs.config.onUnhandledError` if set, else thrown from RxJS's timeout provider
 * — which `TestScheduler.run()` virtualises, so it surfaces from `run()`. Going through a subscriber with
 * no error handler reaches that path with public API only.
 */
export function reportUnhandled(error: unknown): void {
  new Observable<never>((subscriber) => subscriber.error(error)).subscribe();
}

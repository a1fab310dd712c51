import { asyncScheduler } from 'rxjs';
import { PendingTimeout } from '../errors.js';
import type { Pending } from '../Pending.js';
import { FULFILLED } from './pendingStates.js';
import { scheduleTimeout } from './scheduleTimeout.js';
import { addListener, failureOf, removeListener } from './settlement.js';

/**
 * `pending.wait({ timeout })`: a promise of the result that rejects with {@link PendingTimeout} after
 * `timeout` ms (timed on RxJS's `asyncScheduler`, so virtual inside `TestScheduler.run()`) and then
 * cancels the pending unless `protect`.
 */
export function waitWithTimeout<T>(pending: Pending<T>, timeout: number, protect: boolean): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // The timer fires asynchronously, after onDone below exists.
    const timer = scheduleTimeout(asyncScheduler, timeout, () => {
      // Stryker disable next-line BooleanLiteral: this wait added its own onDone once; removing every copy is the same
      removeListener(pending, onDone, false);
      reject(new PendingTimeout(timeout));
      if (!protect) pending.cancel(`timed out after ${timeout} ms`);
    });
    const onDone = (p: Pending<T>) => {
      timer.unsubscribe();
      if (p._s === FULFILLED) resolve(p._v as T);
      else reject(failureOf(p));
    };
    addListener(pending, onDone);
  });
}

import { EmptyError, type ObservableInput, type Subscription } from 'rxjs';
import { fromInput } from './fromInput.js';
import type { Pending } from '../Pending.js';
import type { PendingFromOptions } from '../PendingOptions.js';

/**
 * The cold-to-hot bridge of `Pending.from`: subscribes `pending` to `source` at once and settles it with
 * the last value when `source` completes (`defaultValue`, else rxjs's `EmptyError`, when none came).
 * Cancelling the pending unsubscribes the source.
 */
export function settleFromSource<T>(pending: Pending<T>, source: ObservableInput<T>, options: PendingFromOptions<T> | undefined): void {
  // Stryker disable next-line BlockStatement: the fast path for native promises; without it they take the general path below, with the same outcome
  try {
    // Stryker disable next-line ConditionalExpression,BlockStatement: the same fast path
    if (source instanceof Promise) {
      // A native promise needs no rxjs Subscriber chain: one reaction is 2-3x faster, and it is paid per
      // promise member of gather, asCompleted and wait. No canceller: with none, cancel() settles at once,
      // and the late outcome is then ignored, as unsubscribing from the promise would do.
      source.then(
        (value: T) => pending.setResult(value),
        (error: unknown) => pending.setException(error),
      );
      return;
    }
    // Stryker disable next-line BlockStatement: emptied, the catch lets the input fall through to the general path below, which fails the pending with the same error
  } catch (error) {
    // A hostile source (a Proxy whose traps throw, a promise whose own `then` throws) fails the pending.
    pending.setException(error);
    return;
  }
  const hasDefault = options !== undefined && 'defaultValue' in options;
  let last: T | undefined;
  let hasValue = false;
  let subscription: Subscription;
  try {
    subscription = fromInput(source).subscribe({
      next: (value) => {
        last = value;
        hasValue = true;
      },
      error: (error: unknown) => pending.setException(error),
      complete: () => {
        if (hasValue) pending.setResult(last as T);
        else if (hasDefault) pending.setResult(options.defaultValue as T);
        else pending.setException(new EmptyError());
      },
    });
  } catch (error) {
    // the input could not be read (a hostile iterable or Proxy): the pending fails with it.
    pending.setException(error);
    return;
  }
  // Stryker disable next-line ConditionalExpression: a settled pending ignores setCanceller; the check only saves the closure
  if (!pending.done) {
    // A throwing teardown is reported by cancel(), which then settles the pending itself.
    pending.setCanceller(() => {
      subscription.unsubscribe();
      pending._settleCancelled();
    });
  }
}

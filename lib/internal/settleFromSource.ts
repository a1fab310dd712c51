import { EmptyError, from, type ObservableInput } from 'rxjs';
import type { Pending } from '../Pending.js';
import type { PendingFromOptions } from '../PendingOptions.js';

/**
 * The cold-to-hot bridge of `Pending.from`: subscribes `pending` to `source` at once and settles it with
 * the last value when `source` completes (`defaultValue`, else rxjs's `EmptyError`, when none came).
 * Cancelling the pending unsubscribes the source.
 */
export function settleFromSource<T>(pending: Pending<T>, source: ObservableInput<T>, options: PendingFromOptions<T> | undefined): void {
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
  const hasDefault = options !== undefined && 'defaultValue' in options;
  let last: T | undefined;
  let hasValue = false;
  const subscription = from(source).subscribe({
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
  if (!pending.done) {
    pending.setCanceller(() => {
      // A throwing teardown is reported by cancel(); it must not leave the pending `cancelling` forever.
      try {
        subscription.unsubscribe();
      } finally {
        pending._settleCancelled();
      }
    });
  }
}

import { EmptyError, type ObservableInput, type Subscription } from 'rxjs';
import { fromInput } from './fromInput.js';
import { isObservableInput } from './isObservableInput.js';
import { expectBoolean, expectOptionsObject, got } from './validate.js';
import type { Pending } from '../Pending.js';
import type { PendingFromOptions } from '../PendingOptions.js';

/**
 * `Pending.from(input, options)` (`PendingClass` is `Pending`, handed in: this module is below it): checks
 * the input, calls a thunk, and bridges the source with {@link settleFromSource}.
 */
export function pendingFrom<T>(PendingClass: typeof Pending, input: ObservableInput<T> | (() => ObservableInput<T>), options: PendingFromOptions<T> | undefined): Pending<T> {
  expectOptionsObject('options', options);
  expectBoolean('options.protect', options?.protect);
  let kind: 'pending' | 'function' | 'input' | 'other';
  try {
    kind = input instanceof PendingClass ? 'pending' : typeof input === 'function' ? 'function' : isObservableInput(input) ? 'input' : 'other';
  } catch (error) {
    // A hostile input (a Proxy whose traps throw) cannot even be looked at: it fails like a throwing thunk.
    const failed = new PendingClass<T>();
    failed.setException(error);
    return failed;
  }
  if (kind === 'pending') return input as Pending<T>;
  if (kind === 'other') {
    throw new TypeError(`Expected \`input\` to be an ObservableInput (Observable, Promise, iterable, async iterable) or a function returning one, got ${got(input)}`);
  }
  const pending = new PendingClass<T>(options?.protect ? { protect: true } : undefined);
  let source: ObservableInput<T>;
  try {
    source = kind === 'function' ? (input as () => ObservableInput<T>)() : (input as ObservableInput<T>);
    if (!isObservableInput(source)) throw new TypeError(`Expected the function given to \`Pending.from\` to return an ObservableInput, got ${got(source)}`);
  } catch (error) {
    pending.setException(error);
    return pending;
  }
  settleFromSource(pending, source, options);
  return pending;
}

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

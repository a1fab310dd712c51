import { Pending } from '../../lib/Pending.js';
import { isObservableInput } from '../../lib/internal/isObservableInput.js';
import { settleFromSource } from '../../lib/internal/settleFromSource.js';
import { got } from '../../lib/internal/validate.js';
import type { Awaitable } from '../../lib/types.js';

/**
 * The Pending that stands for a member: a Pending as itself; a thunk is called now, and the Pending it
 * returns is used as itself; any other ObservableInput is bridged as `Pending.from(input)` does
 * (subscribed now, unsubscribed when that wrapper is cancelled), without `Pending.from`'s option and
 * input checks (they cost about a third of a member's time in `asCompleted` over thunks).
 *
 * It never throws: a bad member, or a thunk that throws, becomes a failed Pending, so each combinator
 * reports it the way it reports any failed member (gather errors, asCompleted emits it, wait counts it).
 */
export function toPending<T>(member: Awaitable<T>): Pending<T> {
  try {
    // Inside the try: a hostile member (a Proxy whose getPrototypeOf throws) fails, it never throws.
    if (member instanceof Pending) return member;
    const thunk = typeof member === 'function';
    const input = thunk ? member() : member;
    // Stryker disable next-line ConditionalExpression: a shortcut; a native promise passes the checks below as well
    if (!(input instanceof Promise)) {
      if (input instanceof Pending) return input;
      if (!isObservableInput(input)) {
        throw new TypeError(
          thunk
            ? `Expected a member function to return an ObservableInput (Observable, Promise, iterable…), got ${got(input)}`
            : `Expected each member to be a Pending, an ObservableInput or a function returning one, got ${got(input)}`,
        );
      }
    }
    const pending = new Pending<T>();
    settleFromSource(pending, input, undefined);
    return pending;
  } catch (error) {
    const failed = new Pending<T>();
    failed.setException(error);
    return failed;
  }
}

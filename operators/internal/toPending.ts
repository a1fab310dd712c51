import { Pending } from '../../lib/Pending.js';
import { isObservableInput } from '../../lib/internal/isObservableInput.js';
import { got } from '../../lib/internal/validate.js';
import type { Awaitable } from '../../lib/types.js';

/**
 * The Pending that stands for a member: a Pending as itself; a thunk is called now, and the Pending it
 * returns is used as itself; any other ObservableInput goes through `Pending.from` (subscribed now,
 * unsubscribed when that wrapper is cancelled).
 *
 * It never throws: a bad member, or a thunk that throws, becomes a failed Pending, so each combinator
 * reports it the way it reports any failed member (gather errors, asCompleted emits it, wait counts it).
 */
export function toPending<T>(member: Awaitable<T>): Pending<T> {
  try {
    // Inside the try: a hostile member (a Proxy whose getPrototypeOf throws) fails, it never throws.
    if (member instanceof Pending) return member;
    if (typeof member === 'function') {
      const input = member();
      if (input instanceof Pending) return input;
      if (!isObservableInput(input)) {
        throw new TypeError(`Expected a member function to return an ObservableInput (Observable, Promise, iterable…), got ${got(input)}`);
      }
      return Pending.from(input);
    }
    if (!isObservableInput(member)) {
      throw new TypeError(`Expected each member to be a Pending, an ObservableInput or a function returning one, got ${got(member)}`);
    }
    return Pending.from(member);
  } catch (error) {
    const failed = new Pending<T>();
    failed.setException(error);
    return failed;
  }
}

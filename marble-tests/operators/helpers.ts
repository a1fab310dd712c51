import { Observable } from 'rxjs';
import { Pending } from '../../lib/Pending.js';
import { runInFrame } from '../../lib/internal/context.js';
import type { Frame } from '../../lib/internal/threadState.js';

/** Subscribes to `source` as the work of `pending` would (its context frame current), for deadlock cases. */
export function subscribedIn<T>(pending: Pending<unknown>, source: Observable<T>): Observable<T> {
  const frame: Frame = { caller: {}, pending };
  return new Observable<T>((subscriber) => runInFrame(frame, () => source.subscribe(subscriber), undefined));
}

/** A bare Pending fulfilled with `value` at virtual frame `frame` (schedule with the test scheduler). */
export function settleAt<T>(schedule: (work: () => void, delay: number) => unknown, frame: number, value: T): Pending<T> {
  const pending = new Pending<T>();
  schedule(() => pending.setResult(value), frame);
  return pending;
}

/** What a settled Pending holds, for marble values: its value, its error, or 'cancelled'. */
export function outcome(pending: Pending<unknown>): unknown {
  if (pending.state === 'fulfilled') return pending.result();
  if (pending.state === 'cancelled') return 'cancelled';
  return pending.exception();
}

import { Observable, type OperatorFunction } from 'rxjs';
import type { Pending } from '../lib/Pending.js';
import { frameNow, inFrame } from '../lib/internal/frameHooks.js';
import type { AsCompletedOptions, Awaitable } from '../lib/types.js';
import { RingQueue } from '../lib/internal/RingQueue.js';
import { readAsCompletedOptions } from './internal/options.js';
import { subscribeWhileOpen } from './internal/subscribeWhileOpen.js';
import { isPending } from '../lib/internal/isPending.js';
import { toPending } from './internal/toPending.js';

/**
 * Emits each member as a settled `Pending`, in the order the members settle (Python's
 * `asyncio.as_completed`). A Pending member is emitted as itself; other inputs as the Pending wrapping them.
 *
 * ```
 * source:  -(ab)--------|        a = cold('-----x|'), b = cold('--y|')
 * result:  ----B--A-----|        B settled with 'y', A with 'x'
 * ```
 *
 * A member already settled when it is reached is emitted at once, so such members come out in source
 * order; members settling in the same frame come out in the order they settle. A failed or cancelled
 * member is emitted like any other (read it with `result()`), never thrown. With `maxConcurrent`, at most
 * that many members run: the rest wait, unstarted, and are taken in source order as members settle.
 * Completes when the source has completed and every member has been emitted; a source error errors the
 * output. Iterating over the pending whose work is running (or closing a cycle of pendings waiting on each
 * other) errors with `DeadlockError`. When the output ends before every member was emitted (unsubscribe,
 * source error, deadlock), `cancelUnfinished` (default `true`) cancels every unfinished member — passed-in
 * Pendings included — and drops those not started; with `false` they keep running, and a later failure
 * nobody observes is reported to `config.onUnobservedError`. Members run where their own work runs.
 *
 * @example
 * import { from } from 'rxjs';
 * import { Caller, asCompleted } from 'rxjs-caller';
 * const caller = Caller.current();
 * from([30, 10, 20].map((ms) => caller.callLater(ms, () => ms)))
 *   .pipe(asCompleted())
 *   .subscribe((done) => console.log(done.result())); // 10, 20, 30
 * @param options `maxConcurrent` (default Infinity) and `cancelUnfinished` (default true).
 * @returns an operator emitting settled Pendings.
 * @throws TypeError or RangeError, when made, for a bad option.
 */
export function asCompleted<T>(options?: AsCompletedOptions): OperatorFunction<Awaitable<T>, Pending<T>> {
  const { maxConcurrent, cancelUnfinished } = readAsCompletedOptions(options);
  return (source) =>
    new Observable<Pending<T>>((subscriber) => {
      const frame = frameNow();
      // Unfinished members and the passive callback each waits with (a member may come twice).
      const unfinished = new Set<[Pending<T>, (p: Pending<T>) => void]>();
      const waiting = new RingQueue<Awaitable<T>>();
      let sourceDone = false;

      const emit = (pending: Pending<T>) => {
        // Delivered: the consumer now answers for a failure.
        pending._markObserved();
        subscriber.next(pending);
      };
      const finish = () => {
        if (sourceDone && unfinished.size === 0 && waiting.length === 0) subscriber.complete();
      };
      // Runs only in a member's passive callback, so never nested: a member settling meanwhile (a consumer
      // settling one) is delivered after this settlement's listeners (Pending's settlement order). No check
      // of `subscriber.closed`: ending the output runs the teardown, which empties `waiting`.
      const pull = () => {
        while (unfinished.size < maxConcurrent && waiting.length > 0) inFrame(frame, take, waiting.shift()!);
      };
      const take = (member: Awaitable<T>) => {
        const pending = toPending(member);
        if (pending.done) return emit(pending);
        const deadlock = pending._deadlock();
        if (deadlock) return subscriber.error(deadlock);
        // Passive: waiting here must not count as a subscriber, so dropping a member leaves its failures
        // reportable, and cancellation is this operator's explicit choice (cancelUnfinished).
        const entry: [Pending<T>, (p: Pending<T>) => void] = [
          pending,
          (p) => {
            unfinished.delete(entry);
            emit(p);
            pull();
            finish();
          },
        ];
        unfinished.add(entry);
        pending._addPassiveCallback(entry[1]);
      };

      subscribeWhileOpen(
        source,
        subscriber,
        (member) => {
          if (unfinished.size < maxConcurrent && waiting.length === 0) return inFrame(frame, take, member);
          // A held-back Pending failing before it is reached will still be delivered, unless we stop first.
          if (isPending(member)) member._addPassiveCallback(markObservedWhile(subscriber));
          waiting.push(member);
        },
        () => {
          sourceDone = true;
          finish();
        },
      );

      return () => {
        const entries = [...unfinished];
        unfinished.clear();
        for (const [pending, callback] of entries) pending._removePassiveCallback(callback);
        if (!cancelUnfinished) {
          waiting.clear();
          return;
        }
        for (const [pending] of entries) pending.cancel('asCompleted stopped before this member settled');
        while (waiting.length > 0) {
          const member = waiting.shift()!;
          if (isPending(member)) member.cancel('asCompleted stopped before reaching this member');
        }
      };
    });
}

function markObservedWhile(subscriber: { readonly closed: boolean }): (pending: Pending<unknown>) => void {
  return (pending) => {
    if (!subscriber.closed) pending._markObserved();
  };
}

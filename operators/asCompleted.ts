import { Observable, type OperatorFunction } from 'rxjs';
import type { Pending } from '../lib/Pending.js';
import { frameNow, inFrame } from '../lib/internal/frameHooks.js';
import type { AsCompletedOptions, Awaitable } from '../lib/types.js';
import { ChunkQueue } from '../lib/internal/ChunkQueue.js';
import { readAsCompletedOptions } from './internal/options.js';
import { subscribeWhileOpen } from './internal/subscribeWhileOpen.js';
import { isPending } from '../lib/internal/isPending.js';
import { toPending } from './internal/toPending.js';
import { mustQueue } from '../lib/internal/settlement.js';

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
      // The members waited on, what stopping early lets go of: each is pushed when taken (a member given
      // twice, twice: it is counted, and called back, twice), and those no longer waited on are dropped in
      // one pass once the list is twice as long as needed — not one by one, as a Set did (hashing each new
      // Pending cost about 60 ns, 5 % of a member). Those the list still holds just find nothing to undo.
      let unfinished: Pending<T>[] = [];
      let running = 0;
      const waiting = new ChunkQueue<Awaitable<T>>();
      let sourceDone = false;

      const emit = (pending: Pending<T>) => {
        // Delivered: the consumer now answers for a failure.
        pending._markObserved();
        subscriber.next(pending);
      };
      const finish = () => {
        if (sourceDone && running === 0 && waiting.length === 0) subscriber.complete();
      };
      // Runs only in a member's passive callback, so never nested: a member settling meanwhile (a consumer
      // settling one) is delivered after this settlement's listeners (Pending's settlement order). No check
      // of `subscriber.closed`: ending the output runs the teardown, which empties `waiting`.
      const pull = () => {
        while (running < maxConcurrent && waiting.length > 0) inFrame(frame, take, waiting.shift()!);
      };
      // One passive callback for every member (none made per member). Passive: waiting here must not
      // count as a subscriber, so dropping a member leaves its failures reportable, and cancellation is
      // this operator's explicit choice (cancelUnfinished).
      const onSettled = (pending: Pending<T>) => {
        running--;
        emit(pending);
        pull();
        finish();
      };
      const take = (member: Awaitable<T>) => {
        const pending = toPending(member);
        if (pending.done) return emit(pending);
        // Outside a pending's work there is no cycle to find (and the check's frame read is saved).
        // Stryker disable next-line ConditionalExpression: a shortcut; outside a pending's work the check finds nothing
        if (frame?.pending !== undefined) {
          const deadlock = pending._deadlock();
          if (deadlock) return subscriber.error(deadlock);
        }
        // Amortised O(1) a member: a pass keeps at most `running` members, and comes after `running` + 16 more.
        // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: when the list is thinned changes its length and the time spent, not what the teardown finds to undo (never thinning it keeps emitted members alive: asCompleted.details.spec.ts)
        if (unfinished.length > 2 * running + 16) unfinished = unfinished.filter(mustQueue);
        running++;
        unfinished.push(pending);
        pending._addPassiveCallback(onSettled);
      };

      subscribeWhileOpen(
        source,
        subscriber,
        (member) => {
          if (running < maxConcurrent && waiting.length === 0) return inFrame(frame, take, member);
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
        // Nothing is taken from here on: the source was unsubscribed first, and `waiting` is emptied below.
        for (const pending of unfinished) pending._removePassiveCallback(onSettled);
        if (!cancelUnfinished) {
          waiting.clear();
          return;
        }
        for (const pending of unfinished) pending.cancel('asCompleted stopped before this member settled');
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

import { Observable, type OperatorFunction } from 'rxjs';
import type { Pending } from '../lib/Pending.js';
import { frameNow, inFrame } from '../lib/internal/frameHooks.js';
import type { Awaitable, AwaitableValue, GatherOptions } from '../lib/types.js';
import { ChunkQueue } from '../lib/internal/ChunkQueue.js';
import { readGatherOptions } from './internal/options.js';
import { subscribeWhileOpen } from './internal/subscribeWhileOpen.js';
import { isPending } from '../lib/internal/isPending.js';
import { failureOf } from '../lib/internal/settlement.js';
import { toPending } from './internal/toPending.js';

/**
 * Waits for every member and emits their results as one array, in source order (`forkJoin` for a stream
 * of Pendings, Observables, Promises and thunks — Python's `asyncio.gather`).
 *
 * ```
 * source:  --a----b-----|        a = cold('----x|'), b = cold('-y|')
 * result:  -------------(r|)     r = ['x', 'y']
 * ```
 *
 * Emits once, when the source has completed and every member has settled, then completes; an empty source
 * gives `[]`. The first failure errors the output at once (a member with no value fails with rxjs's
 * `EmptyError`); with `returnExceptions` failures — `PendingCancelled` included — take their place in the
 * array instead. Gathering the pending whose work is running (or closing a cycle of pendings waiting on
 * each other) errors with `DeadlockError`, even with `returnExceptions`. On error or unsubscribe, gather
 * stops observing its unfinished members: those it started, and passed-in Pendings nobody else subscribes
 * to (unless protected), are cancelled — the refcount rule of `Pending`; members still held back by
 * `concurrency` are never started. Members run where their own work runs; thunks are called in the
 * context of the code that subscribed (so their calls join its `PendingGroup`).
 *
 * @example
 * import { from } from 'rxjs';
 * import { Caller, gather } from 'rxjs-caller';
 * const caller = Caller.current();
 * from([1, 2, 3].map((n) => () => caller.callSoon(() => n * 2)))
 *   .pipe(gather({ concurrency: 2 }))
 *   .subscribe((values) => console.log(values)); // [2, 4, 6]
 * @param options `returnExceptions` (default false) and `concurrency` (default Infinity).
 * @returns an operator emitting the array of results.
 * @throws TypeError or RangeError, when made, for a bad option.
 */
export function gather<T, A extends Awaitable<T> = Awaitable<T>>(options?: GatherOptions & { returnExceptions?: false }): OperatorFunction<A, AwaitableValue<A>[]>;
export function gather<T, A extends Awaitable<T> = Awaitable<T>>(options: GatherOptions & { returnExceptions: true }): OperatorFunction<A, (AwaitableValue<A> | Error)[]>;
export function gather<T, A extends Awaitable<T> = Awaitable<T>>(options?: GatherOptions): OperatorFunction<A, (AwaitableValue<A> | Error)[]>;
export function gather<T>(options?: GatherOptions): OperatorFunction<Awaitable<T>, unknown[]> {
  const { returnExceptions, concurrency } = readGatherOptions(options);
  return (source) =>
    new Observable<unknown[]>((subscriber) => {
      const frame = frameNow();
      const results: unknown[] = [];
      // Pending members not settled yet, and the passive callback each waits with, by index (a member may
      // come twice): what stopping early releases. Arrays, not a Set: one slot per member, no hashing.
      const watched: (Pending<T> | undefined)[] = [];
      // Stryker disable next-line ArrayDeclaration: a slot is written before it is read
      const callbacks: ((p: Pending<T>) => void)[] = [];
      const waiting = new ChunkQueue<Awaitable<T>>();
      let firstWaiting = 0;
      let received = 0;
      let settled = 0;
      let running = 0;
      let sourceDone = false;
      let pulling = false;

      const finish = () => {
        if (sourceDone && settled === received && !subscriber.closed) {
          subscriber.next(results);
          subscriber.complete();
        }
      };

      // Starting a member can settle it at once (and so free its slot): the flag keeps that from recursing.
      const pull = () => {
        if (pulling) return;
        pulling = true;
        try {
          // No check of `subscriber.closed`: ending the output runs the teardown, which empties `waiting`.
          while (running < concurrency && waiting.length > 0) startIn(firstWaiting++, waiting.shift()!);
        } finally {
          pulling = false;
        }
      };

      // An outcome takes its member's place (after the output ended, the work left finds nothing to do:
      // the teardown emptied the queue, and finish() checks).
      const place = (index: number, outcome: unknown) => {
        running--;
        settled++;
        results[index] = outcome;
        pull();
        finish();
      };
      // The first failure errors the output; a member failing after it ended (a promise cannot be let go
      // of) reaches nobody, not even rxjs's onStoppedNotification.
      const fail = (error: unknown) => {
        if (!subscriber.closed) subscriber.error(error);
      };
      const end = (index: number, fulfilled: boolean, outcome: unknown) => {
        if (fulfilled || returnExceptions) place(index, outcome);
        else fail(outcome);
      };

      const endPending = (index: number, pending: Pending<T>) => {
        if (pending.state === 'fulfilled') end(index, true, pending.result());
        // Its exception, or its PendingCancelled (gather marked it observed when it started it).
        else end(index, false, failureOf(pending));
      };

      // A promise cannot be cancelled, deadlock or be reported unobserved: it needs no Pending of its own.
      // The promises a synchronous source gives (`from(array)`, `caller.gather(items)`) are watched
      // together by one Promise.all: natively, with no derived promise per member (each costs a promise
      // hook where AsyncLocalStorage uses them, Node 20 and 22); one arriving later gets one reaction.
      let batch: Promise<T>[] | undefined;
      let batchIndices: number[] | undefined = [];
      const watchPromise = (index: number, promise: Promise<T>) => {
        promise.then(
          (value) => end(index, true, value),
          (error: unknown) => end(index, false, error),
        );
      };
      const watchBatch = (promises: Promise<T>[], indices: number[]) => {
        // Stryker disable next-line ConditionalExpression: a shortcut; Promise.all of one promise ends the same way
        if (promises.length === 1) return watchPromise(indices[0]!, promises[0]!);
        if (returnExceptions) {
          void Promise.allSettled(promises).then((outcomes) => {
            for (let k = 0; k < outcomes.length; k++) {
              const outcome = outcomes[k]!;
              place(indices[k]!, outcome.status === 'fulfilled' ? outcome.value : outcome.reason);
            }
          });
        } else {
          Promise.all(promises).then((values) => {
            for (let k = 0; k < values.length; k++) place(indices[k]!, values[k]);
          }, fail);
        }
      };

      const start = (index: number, member: Awaitable<T>) => {
        running++;
        // Stryker disable next-line ConditionalExpression: a shortcut; a promise wrapped in a Pending ends the same way
        if (isPromise(member)) return watchPromise(index, member as Promise<T>);
        const pending = toPending(member);
        pending._markObserved();
        // Stryker disable next-line ConditionalExpression: a shortcut; a settled member's passive callback runs at once
        if (pending.done) return endPending(index, pending);
        // Stryker disable next-line ConditionalExpression: a shortcut; outside a pending's work there is no cycle to find
        if (frame?.pending !== undefined) {
          const deadlock = pending._deadlock();
          if (deadlock) return subscriber.error(deadlock);
        }
        // A passive callback plus an explicit refcount (what a subscription does, without an rxjs
        // Subscriber per member): gather counts as one of each member's observers.
        pending._retain();
        const onDone = (p: Pending<T>) => {
          watched[index] = undefined;
          endPending(index, p);
        };
        watched[index] = pending;
        callbacks[index] = onDone;
        pending._addPassiveCallback(onDone);
      };
      // Members reached later (a slot freed inside another member's settlement) start as the subscriber.
      const startIn = (index: number, member: Awaitable<T>) => {
        // Stryker disable next-line ConditionalExpression: a shortcut; entering the frame already current changes nothing
        if (frameNow() === frame) start(index, member);
        else inFrame(frame, () => start(index, member), undefined);
      };

      subscribeWhileOpen(
        source,
        subscriber,
        (member) => {
          const index = received++;
          results.push(undefined);
          // Stryker disable next-line BlockStatement: the batch is a shortcut; a promise taken on its own ends the same way
          if (batchIndices !== undefined && concurrency === Infinity && isPromise(member)) {
            // Stryker disable next-line UpdateOperator: with no limit, the running count is never compared
            running++;
            (batch ??= []).push(member as Promise<T>);
            batchIndices.push(index);
            return;
          }
          // A free slot means nothing waits: a slot freed is refilled from the queue before any user code runs.
          if (running < concurrency) return startIn(index, member);
          // Gather answers for a held-back Pending's failure (or, once it errored, for its siblings').
          if (isPending(member)) member._markObserved();
          if (waiting.length === 0) firstWaiting = index;
          waiting.push(member);
        },
        () => {
          sourceDone = true;
          finish();
        },
      );
      // The synchronous part of the source is over: watch its promises, and any later one on its own.
      if (batch !== undefined) watchBatch(batch, batchIndices!);
      batch = undefined;
      batchIndices = undefined;

      return () => {
        waiting.clear();
        // Stopping cancels each member this gather alone observes (Pending's refcount rule).
        watched.forEach((pending, i) => {
          if (pending === undefined) return;
          watched[i] = undefined;
          pending._removePassiveCallback(callbacks[i]!);
          pending._release('gather stopped before this member settled');
        });
      };
    });
}

/** Whether `value` is a native promise; false for a hostile value that throws when asked. */
// Stryker disable next-line BlockStatement: a function that finds no promise only turns the shortcuts off
function isPromise(value: unknown): value is Promise<unknown> {
  // Stryker disable next-line BlockStatement: as above
  try {
    return value instanceof Promise;
    // Stryker disable next-line BlockStatement: an empty catch answers undefined, which says no as well
  } catch {
    return false;
  }
}

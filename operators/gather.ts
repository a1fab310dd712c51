import { Observable, type OperatorFunction } from 'rxjs';
import type { Pending } from '../lib/Pending.js';
import { currentFrame } from '../lib/internal/context.js';
import type { Awaitable, GatherOptions } from '../lib/types.js';
import { RingQueue } from '../lib/internal/RingQueue.js';
import { readGatherOptions } from './internal/options.js';
import { subscribeWhileOpen } from './internal/subscribeWhileOpen.js';
import { isPending } from '../lib/internal/isPending.js';
import { inFrame, toPending } from './internal/toPending.js';

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
export function gather<T>(options?: GatherOptions & { returnExceptions?: false }): OperatorFunction<Awaitable<T>, T[]>;
export function gather<T>(options: GatherOptions & { returnExceptions: true }): OperatorFunction<Awaitable<T>, (T | Error)[]>;
export function gather<T>(options?: GatherOptions): OperatorFunction<Awaitable<T>, (T | Error)[]>;
export function gather<T>(options?: GatherOptions): OperatorFunction<Awaitable<T>, unknown[]> {
  const { returnExceptions, concurrency } = readGatherOptions(options);
  return (source) =>
    new Observable<unknown[]>((subscriber) => {
      const frame = currentFrame();
      const results: unknown[] = [];
      // Unfinished members and the passive callback each waits with (a member may come twice).
      const live = new Set<[Pending<T>, (p: Pending<T>) => void]>();
      const waiting = new RingQueue<[number, Awaitable<T>]>();
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
          while (running < concurrency && waiting.length > 0) inFrame(frame, start, waiting.shift()!);
        } finally {
          pulling = false;
        }
      };

      const end = (index: number, pending: Pending<T>) => {
        running--;
        settled++;
        if (pending.state === 'fulfilled') results[index] = pending.result();
        else if (returnExceptions) results[index] = errorOf(pending);
        else return subscriber.error(errorOf(pending));
        pull();
        finish();
      };

      // Members are waited for with a passive callback plus an explicit refcount (what a subscription
      // does, without an rxjs Subscriber per member): gather counts as one of each member's observers.
      const start = ([index, member]: [number, Awaitable<T>]) => {
        running++;
        const pending = toPending(member);
        pending._markObserved();
        if (pending.done) return end(index, pending);
        const deadlock = pending._deadlock();
        if (deadlock) return subscriber.error(deadlock);
        pending._retain();
        const entry: [Pending<T>, (p: Pending<T>) => void] = [
          pending,
          (p) => {
            live.delete(entry);
            end(index, p);
          },
        ];
        live.add(entry);
        pending._addPassiveCallback(entry[1]);
      };

      subscribeWhileOpen(source, subscriber, {
        next: (member) => {
          const index = received++;
          results.push(undefined);
          if (running < concurrency && waiting.length === 0) return inFrame(frame, start, [index, member]);
          // Gather answers for a held-back Pending's failure (or, once it errored, for its siblings').
          if (isPending(member)) member._markObserved();
          waiting.push([index, member]);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          finish();
        },
      });

      return () => {
        waiting.clear();
        const members = [...live];
        live.clear();
        // Stopping cancels each member this gather alone observes (Pending's refcount rule).
        for (const [pending, onDone] of members) {
          pending._removePassiveCallback(onDone);
          pending._release('gather stopped before this member settled');
        }
      };
    });
}

/** The error a settled, unfulfilled member stands for: its exception, or its PendingCancelled. */
function errorOf(pending: Pending<unknown>): unknown {
  try {
    return pending.exception();
  } catch (cancelled) {
    return cancelled;
  }
}

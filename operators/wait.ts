import { Observable, type OperatorFunction } from 'rxjs';
import type { Pending } from '../lib/Pending.js';
import { frameNow, inFrame } from '../lib/internal/frameHooks.js';
import { scheduleTimeout } from '../lib/internal/scheduleTimeout.js';
import type { Awaitable, WaitOptions, WaitResult } from '../lib/types.js';
import { readWaitOptions } from './internal/options.js';
import { subscribeWhileOpen } from './internal/subscribeWhileOpen.js';
import { toPending } from './internal/toPending.js';

/**
 * Waits until the members meet `returnWhen`, or `timeout` ms pass, and emits `{ done, pending }` once
 * (Python's `asyncio.wait`). Members are started as they arrive; other inputs than Pendings are wrapped.
 *
 * ```
 * source:  -(ab|)                a = cold('---x|'), b = cold('------y|')
 * wait({ returnWhen: 'FIRST_COMPLETED' })
 * result:  ----(r|)              r = { done: {A}, pending: {B} }
 * ```
 *
 * `returnWhen` is checked once the source has completed (the member set is then known):
 * `'ALL_COMPLETED'` (default) when every member has settled, `'FIRST_COMPLETED'` when any has,
 * `'FIRST_EXCEPTION'` when any has failed or been cancelled (else when all have settled). An empty source
 * gives two empty sets. `timeout` counts from subscription on `scheduler` (virtual in marble tests; `0`
 * returns at once, with the members the source gave synchronously) and then returns with what the source
 * gave so far: it never throws and never cancels — members in `pending` keep running, and a later failure
 * nobody observes is reported to `config.onUnobservedError`. A failed member handed over in `done` and
 * left unread (no `result()`, `exception()`, `then` or subscriber) by the end of that tick is reported
 * too. A source error errors the output. Waiting on the pending whose work is running (or closing a cycle
 * of pendings waiting on each other) errors with `DeadlockError`. Unsubscribing stops waiting and cancels nothing.
 *
 * @example
 * import { from } from 'rxjs';
 * import { Caller, wait } from 'rxjs-caller';
 * const caller = Caller.current();
 * from([caller.callLater(10, () => 'fast'), caller.callLater(500, () => 'slow')])
 *   .pipe(wait({ timeout: 100 }))
 *   .subscribe(({ done, pending }) => console.log(done.size, pending.size)); // 1 1
 * @param options `timeout` (ms, default Infinity), `returnWhen` (default 'ALL_COMPLETED') and
 *   `scheduler` (default asyncScheduler).
 * @returns an operator emitting one {@link WaitResult}.
 * @throws TypeError or RangeError, when made, for a bad option.
 */
export function wait<T>(options?: WaitOptions): OperatorFunction<Awaitable<T>, WaitResult<T>> {
  const { timeout, returnWhen, scheduler } = readWaitOptions(options);
  return (source) =>
    new Observable<WaitResult<T>>((subscriber) => {
      const frame = frameNow();
      const done = new Set<Pending<T>>();
      const pending = new Set<Pending<T>>();
      let sourceDone = false;
      let failed = false;

      const finish = () => {
        if (subscriber.closed) return;
        for (const p of pending) p._removePassiveCallback(onSettled);
        // Handed over: a failure the consumer leaves unread in `done` is reported at the end of this tick
        // (DESIGN §7, as asyncio's "exception was never retrieved").
        for (const p of done) p._releaseReport();
        subscriber.next({ done, pending });
        subscriber.complete();
      };
      const check = () => {
        if (!sourceDone) return;
        if (pending.size === 0 || (returnWhen === 'FIRST_COMPLETED' && done.size > 0) || (returnWhen === 'FIRST_EXCEPTION' && failed)) finish();
      };
      const settle = (p: Pending<T>) => {
        // Held for `done`: not reported before the consumer has had it (members still pending when wait
        // returns are not held at all).
        p._holdReport();
        pending.delete(p);
        done.add(p);
        if (p.state !== 'fulfilled') failed = true;
      };
      // Passive: waiting must not count as a subscriber, so abandoned members stay reportable and running.
      // Never called once the output ended: finish() and the teardown take it off every member first.
      const onSettled = (p: Pending<T>) => {
        settle(p);
        check();
      };

      const take = (member: Awaitable<T>) => {
        const p = toPending(member);
        if (pending.has(p)) return;
        // Stryker disable next-line ConditionalExpression: a shortcut; a settled member's passive callback runs at once
        if (p.done) return settle(p);
        const deadlock = p._deadlock();
        if (deadlock) return subscriber.error(deadlock);
        pending.add(p);
        p._addPassiveCallback(onSettled);
      };

      // No timer for Infinity: one that never fires would still hold the host's event loop open.
      if (timeout > 0 && timeout !== Infinity) subscriber.add(scheduleTimeout(scheduler, timeout, finish));

      subscribeWhileOpen(
        source,
        subscriber,
        (member) => inFrame(frame, take, member),
        () => {
          sourceDone = true;
          check();
        },
      );
      if (timeout === 0) finish();

      // After finish() this finds nothing left to do: both steps are idempotent.
      return () => {
        for (const p of pending) p._removePassiveCallback(onSettled);
        // Stopped before handing them over: nobody got these failures.
        for (const p of done) p._releaseReport();
      };
    });
}

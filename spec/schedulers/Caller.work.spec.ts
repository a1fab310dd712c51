/**
 * How a caller runs its work, in the corners mutation testing showed no other test pinned: teardowns of
 * a scheduled action, a backend whose timers cannot be cancelled, an action re-queued behind other work,
 * what a call's function returns, the grace timer of a cancelled call, a stop in the middle of a batch.
 */
import { asyncScheduler, Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { PendingCancelled } from '../../lib/errors.js';
import { Caller } from '../../schedulers/Caller.js';
import { flushMicrotasks, nextMacrotask, rejectionOf, stopAllCallers } from '../helpers/callers.js';
import { takeReports } from '../helpers/reports.js';
import { within } from '../helpers/within.js';

/** A backend on asyncScheduler that keeps every subscription it hands out; `cancellable: false` hands out ones that cancel nothing. */
function keepingBackend(cancellable = true): SchedulerLike & { handedOut: Subscription[] } {
  const backend = {
    handedOut: [] as Subscription[],
    now: () => asyncScheduler.now(),
    schedule<S>(work: (this: SchedulerAction<S>, state?: S) => void, delay = 0, state?: S): Subscription {
      const real = asyncScheduler.schedule(work, delay, state);
      const handed = cancellable ? real : new Subscription();
      backend.handedOut.push(handed);
      return handed;
    },
  };
  return backend;
}

describe('Caller work (details)', () => {
  afterEach(stopAllCallers);

  it("should run a scheduled action's own teardowns when it is unsubscribed", () => {
    const caller = new Caller();
    const action = caller.schedule(() => undefined, 1000);
    const tornDown: string[] = [];
    action.add(() => tornDown.push('teardown'));
    action.unsubscribe();
    action.unsubscribe();
    expect(tornDown).toEqual(['teardown']);
    expect(action.closed).toBe(true);
  });

  it('should never run cancelled work whose timer its backend could not cancel', async () => {
    const backend = keepingBackend(false);
    const caller = new Caller({ backend });
    const ran: string[] = [];
    const action = caller.schedule(() => ran.push('action'), 5);
    const call = caller.callLater(5, () => ran.push('call'));
    action.unsubscribe();
    call.cancel('no');
    await nextMacrotask();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toEqual([]);
    expect(call.state).toBe('cancelled');
  });

  it('should run an action re-queued after a delay was set and dropped at its new place in the queue', async () => {
    const caller = new Caller();
    const order: string[] = [];
    const action = caller.schedule(() => order.push('action')) as SchedulerAction<undefined>; // the action is `this` of the work
    const call = caller.callSoon(() => order.push('call'));
    action.schedule(undefined, 1000); // leaves its queue entry behind
    action.schedule(undefined, 0); // queued again, behind the call
    await within(call);
    await flushMicrotasks();
    expect(order).toEqual(['call', 'action']);
  });

  it('should fulfil with null for a function returning null, and await a function returned that is a thenable', async () => {
    const caller = new Caller();
    expect(await within(caller.callSoon(() => null))).toBeNull();
    const thenableFunction = Object.assign(() => 'the function itself', {
      then(resolve: (value: string) => void) {
        resolve('awaited');
      },
    });
    const call = caller.callSoon(() => thenableFunction);
    await within(call);
    expect(call.result()).toBe('awaited'); // read as it is: awaiting would adopt a thenable value anyway
  });

  it('should drop the grace timer of a cancelled call once its work has ended', async () => {
    const backend = keepingBackend();
    const caller = new Caller({ backend });
    let finish!: () => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const call = caller.callSoon(() => {
      started();
      return new Promise<void>((resolve) => (finish = resolve));
    });
    await within(running);
    const before = backend.handedOut.length;
    call.cancel('enough');
    expect(backend.handedOut.length).toBe(before + 1); // the grace timer
    finish();
    expect(await rejectionOf(call)).toBeInstanceOf(PendingCancelled);
    expect(backend.handedOut[before]!.closed).toBe(true);
  });

  it('should cancel the rest of a batch when one of its calls stops the caller, reporting nothing', async () => {
    const caller = new Caller();
    const ran: number[] = [];
    const calls = [0, 1, 2, 3].map((n) =>
      caller.callSoon(() => {
        ran.push(n);
        if (n === 1) void caller.stop();
      }),
    );
    await within(caller.stopped);
    expect(ran).toEqual([0, 1]);
    expect(calls.map((c) => c.state)).toEqual(['fulfilled', 'cancelled', 'cancelled', 'cancelled']); // the stopping call too
    expect(await takeReports()).toEqual([]);
  });
});

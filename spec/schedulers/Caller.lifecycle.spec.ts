import { interval } from 'rxjs';
import { CallerStoppedError, PendingCancelled } from '../../lib/errors.js';
import type { Pending } from '../../lib/Pending.js';
import { Caller, type CallerState } from '../../schedulers/Caller.js';
import { deferred, nextMacrotask, rejectionOf, stopAllCallers, thrownBy } from '../helpers/callers.js';
import { createTestScheduler } from '../helpers/testScheduler.js';
import { within } from '../helpers/within.js';

/** Records every state the caller is seen in, at each of its lifecycle pendings and on demand. */
function stateLog(caller: Caller): { log: CallerState[]; look: () => void } {
  const log: CallerState[] = [caller.state];
  const look = () => {
    if (log[log.length - 1] !== caller.state) log.push(caller.state);
  };
  caller.stopping.addDoneCallback(look);
  caller.stopped.addDoneCallback(look);
  return { log, look };
}

/** A call whose async work runs until the test releases it (or its signal aborts, if `honour`). */
async function runningCall(caller: Caller, honour = true): Promise<{ pending: Pending<string>; release: () => void }> {
  const release = deferred();
  const started = deferred();
  const pending = caller.callSoon(async () => {
    const signal = Caller.currentPending()!.signal;
    started.resolve();
    await Promise.race([release.promise, honour ? new Promise((resolve) => signal.addEventListener('abort', resolve)) : release.promise]);
    return 'finished';
  });
  await started.promise;
  return { pending, release: release.resolve };
}

describe('Caller lifecycle', () => {
  afterEach(stopAllCallers);

  it('should return the stopped pending from stop(), so awaiting stop() waits for every call to settle', async () => {
    const caller = new Caller();
    const { pending, release } = await runningCall(caller, false);
    const queued = caller.callSoon(() => 'queued');
    const stopping = caller.stop();
    expect(stopping).toBe(caller.stopped);
    expect(stopping.done).toBe(false);
    let awaited = false;
    const waiting = (async () => {
      await caller.stop();
      awaited = true;
    })();
    await nextMacrotask();
    expect(awaited).toBe(false);
    expect(queued.state).toBe('cancelled');
    release();
    await waiting;
    expect(pending.state).toBe('cancelled');
    expect(caller.state).toBe('stopped');
    // It is protected: a subscriber leaving never cancels it.
    expect(caller.stopped.protected).toBe(true);
  });

  it('should only move forward: running, stopping, stopped', async () => {
    const caller = new Caller();
    const { log, look } = stateLog(caller);
    const { release } = await runningCall(caller, false);
    expect(caller.stop()).toBe(caller.stopped);
    expect(caller.state).toBe('stopping');
    look();
    expect(caller.stop()).toBe(caller.stopped);
    expect(caller.state).toBe('stopping');
    expect(caller.stop({ force: true })).toBe(caller.stopped);
    expect(caller.state).toBe('stopping');
    expect(caller.running).toBe(false);
    release();
    await within(caller.stopped);
    look();
    expect(caller.stop()).toBe(caller.stopped);
    expect(caller.state).toBe('stopped');
    look();
    expect(log).toEqual(['running', 'stopping', 'stopped']);
    expect(caller.stopping.state).toBe('fulfilled');
    expect(caller.stopped.state).toBe('fulfilled');
  });

  it('should go straight to stopped when nothing runs', () => {
    const caller = new Caller();
    expect(caller.stop()).toBe(caller.stopped);
    expect(caller.state).toBe('stopped');
    expect(caller.stopped.done).toBe(true);
  });

  it('should cancel queued calls and never run them', async () => {
    const caller = new Caller();
    let ran = false;
    const queued = caller.callSoon(() => (ran = true));
    const scheduled = caller.scheduleCall(() => (ran = true), []);
    let workRan = false;
    caller.schedule(() => (workRan = true));
    caller.stop();
    expect(queued.state).toBe('cancelled');
    expect(scheduled.state).toBe('cancelled');
    await nextMacrotask();
    expect(ran).toBe(false);
    expect(workRan).toBe(false);
    const error = await rejectionOf(queued);
    expect(error).toBeInstanceOf(PendingCancelled);
    expect((error as Error).message).toMatch(/stopped/);
  });

  it('should cancel delayed calls at once (callLater, another backend) and never run them', async () => {
    const caller = new Caller();
    let ran = 0;
    const later = caller.callLater(5, () => ran++);
    const other = caller.callUsingBackend('async', () => ran++);
    expect(caller.stop()).toBe(caller.stopped);
    expect(caller.state).toBe('stopped');
    expect(later.state).toBe('cancelled');
    expect(other.state).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ran).toBe(0);
  });

  it('should cancel running calls through their signal, and settle stopped only once they have settled', async () => {
    const caller = new Caller();
    const { pending } = await runningCall(caller);
    expect(caller.stop()).toBe(caller.stopped);
    expect(caller.state).toBe('stopping');
    expect(pending.signal.aborted).toBe(true);
    expect(pending.state).toBe('cancelling');
    expect(caller.stopped.done).toBe(false);
    await within(caller.stopped);
    expect(pending.state).toBe('cancelled');
  });

  it('should wait for running work that ignores its signal until Caller.CANCEL_GRACE, then settle it cancelled', async () => {
    const grace = Caller.CANCEL_GRACE;
    Caller.CANCEL_GRACE = 5;
    try {
      const caller = new Caller();
      const { pending } = await runningCall(caller, false);
      caller.stop();
      expect(caller.state).toBe('stopping');
      await within(caller.stopped);
      expect(pending.state).toBe('cancelled');
    } finally {
      Caller.CANCEL_GRACE = grace;
    }
  });

  it('should stop children first, and settle stopped after every child has stopped', async () => {
    const parent = new Caller({ name: 'parent' });
    const child = parent.get({ name: 'child' });
    const grandchild = child.get({ name: 'grandchild' });
    const order: string[] = [];
    const { pending, release } = await runningCall(grandchild, false);
    parent.callSoon(() => undefined).addDoneCallback(() => order.push('parent call cancelled'));
    child.callSoon(() => undefined).addDoneCallback(() => order.push('child call cancelled'));
    // The grandchild's call settling stops the grandchild, which stops the child, which stops the parent:
    // each stage's done callbacks run before the next stage's (settled earlier, called earlier).
    const seen = () => `call ${pending.state}, grandchild ${grandchild.state}, child ${child.state}, parent ${parent.state}`;
    grandchild.stopped.addDoneCallback(() => order.push(`grandchild stopped: ${seen()}`));
    child.stopped.addDoneCallback(() => order.push(`child stopped: ${seen()}`));
    parent.stopped.addDoneCallback(() => order.push(`parent stopped: ${seen()}`));
    parent.callSoon(() => undefined).addDoneCallback(() => order.push('parent call 2 cancelled'));

    expect(parent.stop()).toBe(parent.stopped);

    expect(parent.state).toBe('stopping');
    expect(child.state).toBe('stopping');
    expect(grandchild.state).toBe('stopping');
    expect(order).toEqual(['child call cancelled', 'parent call cancelled', 'parent call 2 cancelled']);
    await nextMacrotask();
    expect([grandchild.state, child.state, parent.state]).toEqual(['stopping', 'stopping', 'stopping']);
    release();
    await within(parent.stopped);
    // Nothing stopped before the grandchild's call settled, and the parent last of all.
    expect(order.slice(3)).toEqual([
      'grandchild stopped: call cancelled, grandchild stopped, child stopped, parent stopping',
      'child stopped: call cancelled, grandchild stopped, child stopped, parent stopped',
      'parent stopped: call cancelled, grandchild stopped, child stopped, parent stopped',
    ]);
    expect(parent.children.size).toBe(0);
  });

  it("should settle stopped after the caller's own queued calls even when its children stop at once", () => {
    const parent = new Caller();
    parent.get({ name: 'idle child' });
    const queued = parent.callSoon(() => 1);
    let seen: string | undefined;
    parent.stopped.addDoneCallback(() => (seen = queued.state));
    expect(parent.stop()).toBe(parent.stopped);
    expect(parent.state).toBe('stopped');
    expect(seen).toBe('cancelled');
  });

  it('should stop a protected child with its parent', () => {
    const parent = new Caller();
    const child = new Caller({ protected: true });
    // A protected caller made elsewhere and adopted still stops with its parent: the parent forces it.
    parent._adoptChild(child);
    parent.stop();
    expect(child.state).toBe('stopped');
  });

  it('should close queueCall queues', async () => {
    const caller = new Caller();
    const fn = jest.fn((_n: number) => new Promise<void>(() => undefined));
    caller.queueCall(fn, 1);
    caller.queueCall(fn, 2);
    const task = caller.queueGet(fn)!;
    await nextMacrotask();
    const grace = Caller.CANCEL_GRACE;
    Caller.CANCEL_GRACE = 5;
    try {
      caller.stop();
      expect(caller.queueGet(fn)).toBeUndefined();
      expect(task.cancelled).toBe(true);
      await within(caller.stopped); // the running fn ignores the signal: its task is settled after the grace period
    } finally {
      Caller.CANCEL_GRACE = grace;
    }
    expect(task.state).toBe('cancelled');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('should leave no pending unsettled, whatever the calls were doing', async () => {
    const caller = new Caller();
    const child = caller.get({ name: 'child' });
    const pendings: Pending<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      pendings.push(caller.callSoon(() => i));
      pendings.push(caller.callLater(i, () => i));
      pendings.push(child.callSoon(async () => new Promise((resolve) => setTimeout(resolve, i))));
      pendings.push(caller.callUsingBackend('async', () => i));
    }
    await nextMacrotask();
    caller.stop();
    await within(caller.stopped);
    expect(child.stopped.done).toBe(true);
    expect(pendings.filter((p) => !p.done)).toEqual([]);
  });

  it('should cancel the call that stops its own caller, and settle stopped after it', async () => {
    const caller = new Caller();
    const events: string[] = [];
    caller.stopped.addDoneCallback(() => events.push('stopped'));
    const p = caller.callSoon(() => {
      caller.stop();
      events.push(`in call: caller ${caller.state}, call ${Caller.currentPending()!.state}`);
      return 'value';
    });
    p.addDoneCallback(() => events.push(`call ${p.state}`));
    await within(caller.stopped);
    expect(events).toEqual(['call cancelled', 'stopped', 'in call: caller stopped, call cancelled']);
  });

  it('should run no scheduled work once stopped: timers already set and recursive reschedules end', () => {
    const testScheduler = createTestScheduler();
    const caller = new Caller();
    const values: number[] = [];
    testScheduler.run(() => {
      const subscription = interval(10, caller).subscribe((v) => values.push(v));
      caller.schedule(function (n = 0) {
        values.push(100 + n);
        if (n < 5) this.schedule(n + 1, 4);
      }, 0, 0);
      testScheduler.schedule(() => caller.stop(), 18);
      testScheduler.schedule(() => subscription.unsubscribe(), 100);
    });
    // Before the stop: the recursive work at 0, 4, 8, 12, 16 and the interval at 10; nothing after it.
    expect(values).toEqual([100, 101, 102, 0, 103, 104]);
  });

  describe('after stop', () => {
    it('should return already-cancelled pendings from every call method, and never run them', async () => {
      const caller = new Caller({ name: 'done' });
      caller.stop();
      const fn = jest.fn(() => 1);
      const pendings = [caller.callSoon(fn), caller.callLater(1, fn), caller.scheduleCall(fn, []), caller.callUsingBackend('async', fn)];
      for (const p of pendings) {
        expect(p.state).toBe('cancelled');
        const error = await rejectionOf(p);
        expect(error).toBeInstanceOf(PendingCancelled);
        expect((error as Error).message).toMatch(/caller 'done' is stopped/);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(fn).not.toHaveBeenCalled();
    });

    it('should refuse callDirect and queueCall with CallerStoppedError, and never run scheduled work', async () => {
      const caller = new Caller({ name: 'done' });
      caller.stop();
      const direct = thrownBy(() => caller.callDirect(() => 1));
      expect(direct).toBeInstanceOf(CallerStoppedError);
      expect((direct as Error).message).toMatch(/'done' is stopped/);
      expect(thrownBy(() => caller.queueCall(() => 1))).toBeInstanceOf(CallerStoppedError);
      let ran = false;
      const action = caller.schedule(() => (ran = true));
      expect(action.closed).toBe(true);
      caller.schedule(() => (ran = true), 1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(ran).toBe(false);
    });

    it('should refuse calls already while stopping', async () => {
      const caller = new Caller();
      const { release } = await runningCall(caller, false);
      caller.stop();
      expect(caller.state).toBe('stopping');
      expect(caller.callSoon(() => 1).state).toBe('cancelled');
      expect(() => caller.callDirect(() => 1)).toThrow(CallerStoppedError);
      release();
      await within(caller.stopped);
    });
  });

  describe('protected callers', () => {
    it('should ignore stop() without force, and stop with force', async () => {
      const caller = new Caller({ protected: true });
      expect(caller.stop()).toBe(caller.stopped);
      expect(caller.state).toBe('running');
      expect(caller.stopping.done).toBe(false);
      expect(await caller.callSoon(() => 'still works')).toBe('still works');
      expect(caller.stop({ force: true })).toBe(caller.stopped);
      expect(caller.state).toBe('stopped');
    });

    it('should replace the default caller once it was force-stopped', () => {
      const main = Caller.current();
      main.stop({ force: true });
      const next = Caller.current();
      expect(next).not.toBe(main);
      expect(next.running).toBe(true);
      expect(next.protected).toBe(true);
    });
  });

  describe('[Symbol.asyncDispose]', () => {
    it('should stop the caller (even a protected one) and resolve once it has stopped', async () => {
      const caller = new Caller({ protected: true });
      const { pending, release } = await runningCall(caller, false);
      const disposed = caller[Symbol.asyncDispose]();
      expect(caller.state).toBe('stopping');
      release();
      await disposed;
      expect(caller.state).toBe('stopped');
      expect(pending.done).toBe(true);
    });

    it('should work with `await using`', async () => {
      let outside: Caller | undefined;
      let call: Pending<string> | undefined;
      {
        await using caller = new Caller();
        outside = caller;
        call = caller.callLater(1000, () => 'never');
        expect(caller.running).toBe(true);
      }
      expect(outside.state).toBe('stopped');
      expect(call.state).toBe('cancelled');
    });
  });
});

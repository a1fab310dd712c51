/**
 * Caller paths the ordinary suites reach only through worker threads, a browser or a failing backend,
 * pinned here in-process (mutation testing showed them uncovered): the thread settings and their checks,
 * `toThread` on a stopping caller, a linked child kind this app never loaded, an 'animationFrame' backend
 * with no `requestAnimationFrame`, a backend whose `schedule` throws, a thenable whose `then` throws, and
 * an action rescheduled on a stopped caller.
 */
import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { PendingCancelled } from '../../lib/errors.js';
import { MAX_TIMER_DELAY } from '../../lib/internal/scheduleTimeout.js';
import { Caller } from '../../schedulers/Caller.js';
import { deferred, holdCall, stopAllCallers, thrownBy } from '../helpers/callers.js';
import { takeReports } from '../helpers/reports.js';
import { createTestScheduler } from '../helpers/testScheduler.js';
import { within } from '../helpers/within.js';

/**
 * A backend that forwards to `asyncScheduler` (or throws while `options.fail()` says so), recording the
 * delay of each timer asked for and the timer itself.
 */
function recordingBackend(options: { now?: () => number; fail?: () => Error | undefined } = {}): { backend: SchedulerLike; delays: number[]; timers: Subscription[] } {
  const delays: number[] = [];
  const timers: Subscription[] = [];
  const backend: SchedulerLike = {
    now: options.now ?? (() => asyncScheduler.now()),
    schedule<S>(work: (this: SchedulerAction<S>, state?: S) => void, delay?: number, state?: S): Subscription {
      const failure = options.fail?.();
      if (failure !== undefined) throw failure;
      delays.push(delay ?? 0);
      const timer = asyncScheduler.schedule(work, delay, state);
      timers.push(timer);
      return timer;
    },
  };
  return { backend, delays, timers };
}

describe('Caller (edges)', () => {
  afterEach(stopAllCallers);

  describe('thread settings', () => {
    const saved = { idle: Caller.MAX_IDLE_POOL_INSTANCES, shutdown: Caller.IDLE_WORKER_SHUTDOWN_DURATION, grace: Caller.CANCEL_GRACE };
    afterEach(() => {
      Caller.MAX_IDLE_POOL_INSTANCES = saved.idle;
      Caller.IDLE_WORKER_SHUTDOWN_DURATION = saved.shutdown;
      Caller.CANCEL_GRACE = saved.grace;
    });

    it('should start at their documented defaults and keep what is set', () => {
      expect(saved).toEqual({ idle: 10, shutdown: 60_000, grace: 1000 });
      Caller.MAX_IDLE_POOL_INSTANCES = 3;
      Caller.IDLE_WORKER_SHUTDOWN_DURATION = Infinity;
      Caller.CANCEL_GRACE = 0;
      expect([Caller.MAX_IDLE_POOL_INSTANCES, Caller.IDLE_WORKER_SHUTDOWN_DURATION, Caller.CANCEL_GRACE]).toEqual([3, Infinity, 0]);
      Caller.MAX_IDLE_POOL_INSTANCES = Infinity;
      expect(Caller.MAX_IDLE_POOL_INSTANCES).toBe(Infinity);
    });

    it('should refuse a bad value, naming the setting, and keep the old one', () => {
      expect(thrownBy(() => (Caller.MAX_IDLE_POOL_INSTANCES = 1.5))).toEqual(new RangeError('Expected `Caller.MAX_IDLE_POOL_INSTANCES` to be a whole number >= 0 (or Infinity), got `1.5` (number)'));
      expect(thrownBy(() => (Caller.MAX_IDLE_POOL_INSTANCES = -1))).toBeInstanceOf(RangeError);
      expect(thrownBy(() => (Caller.IDLE_WORKER_SHUTDOWN_DURATION = -1))).toEqual(new RangeError('Expected `Caller.IDLE_WORKER_SHUTDOWN_DURATION` to be a number >= 0, got `-1` (number)'));
      expect(thrownBy(() => (Caller.CANCEL_GRACE = NaN))).toEqual(new RangeError('Expected `Caller.CANCEL_GRACE` to be a number >= 0, got `NaN` (number)'));
      expect([Caller.MAX_IDLE_POOL_INSTANCES, Caller.IDLE_WORKER_SHUTDOWN_DURATION, Caller.CANCEL_GRACE]).toEqual([10, 60_000, 1000]);
    });
  });

  describe('toThread() on a caller that is stopping or stopped', () => {
    it('should return a cancelled pending naming the state, and start no thread', async () => {
      const caller = new Caller({ name: 't' });
      const release = await holdCall(caller);
      caller.stop();
      const whileStopping = caller.toThread(() => 1);
      expect(whileStopping.state).toBe('cancelled');
      expect(thrownBy(() => whileStopping.result())).toEqual(new PendingCancelled(["caller 't' is stopping"]));
      release.resolve();
      await within(caller.stopped);
      const whenStopped = caller.toThread(() => 1);
      expect(thrownBy(() => whenStopped.result())).toEqual(new PendingCancelled(["caller 't' is stopped"]));
      expect(caller._pool).toBeUndefined();
    });
  });

  describe('stop() again', () => {
    it('should return stopped and change nothing when the caller is stopping or stopped, and name a bad `options.force`', async () => {
      const caller = new Caller();
      expect(thrownBy(() => caller.stop({ force: 1 as never }))).toEqual(new TypeError('Expected `options.force` to be a boolean, got `1` (number)'));
      const release = await holdCall(caller);
      expect(caller.stop()).toBe(caller.stopped);
      expect(caller.stop({ force: true })).toBe(caller.stopped);
      expect(caller.state).toBe('stopping');
      release.resolve();
      await within(caller.stopped);
      expect(caller.stop({ force: true })).toBe(caller.stopped);
      expect(caller.state).toBe('stopped');
    });
  });

  describe('stop() with a thread pool', () => {
    it('should settle stopped only once the pool has closed (no thread outlives its caller)', async () => {
      const caller = new Caller();
      const closed = deferred();
      let closes = 0;
      // A stand-in for the pool toThread makes on first use: stop() only asks it to close.
      caller._pool = {
        close: () => {
          closes++;
          return closed.promise;
        },
      } as never;
      caller.stop();
      expect([caller.state, closes]).toEqual(['stopping', 1]);
      closed.resolve();
      await within(caller.stopped);
      expect(caller.state).toBe('stopped');
    });
  });

  describe('children of a kind this app never loaded', () => {
    it('should name ThreadCaller or ProcessCaller, and make no child', () => {
      // This file never imports ThreadCaller or ProcessCaller, so neither kind is registered here.
      const caller = new Caller();
      expect(thrownBy(() => caller.get({ thread: true }))).toEqual(
        new Error(
          "caller.get({ thread }) needs ThreadCaller, which this app never loaded: import { ThreadCaller } from 'rxjs-caller' where you make the child (a bundler leaves out what the app does not import)",
        ),
      );
      expect(thrownBy(() => caller.get({ name: 'p', process: {} }))).toEqual(
        new Error(
          "caller.get({ process }) needs ProcessCaller, which this app never loaded: import { ProcessCaller } from 'rxjs-caller' where you make the child (a bundler leaves out what the app does not import)",
        ),
      );
      expect(caller.children.size).toBe(0);
    });
  });

  describe('backends that cannot tick', () => {
    it("should refuse 'animationFrame' where requestAnimationFrame does not exist (outside virtual time)", () => {
      expect(typeof (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame).toBe('undefined');
      expect(thrownBy(() => new Caller({ backend: 'animationFrame' }))).toEqual(
        new TypeError("Expected `options.backend` 'animationFrame' only where `requestAnimationFrame` exists, got none"),
      );
    });

    it('should report a backend whose schedule() throws, and drain on the next call that can tick', async () => {
      const failure = new Error('no tick now');
      let fail = true;
      const { backend } = recordingBackend({ fail: () => (fail ? failure : undefined) });
      const caller = new Caller({ backend });
      const first = caller.callSoon(() => 'first');
      expect((await takeReports()).map((r) => r.error)).toEqual([failure]);
      expect(first.state).toBe('pending');
      fail = false;
      const second = caller.callSoon(() => 'second');
      expect(await within(Promise.all([first, second]))).toEqual(['first', 'second']);
    });
  });

  describe('results', () => {
    it('should fail a call whose result is a thenable with a throwing then, with that error', async () => {
      const caller = new Caller();
      const thrown = new Error('then threw');
      const call = caller.callSoon(() => ({
        then(): void {
          throw thrown;
        },
      }));
      await expect(within(call)).rejects.toBe(thrown);
      expect(caller.running).toBe(true);
    });
  });

  describe('actions scheduled behind a long queue', () => {
    it('should leave only zero-delay ones out of their subscriber (closed from the start), never a delayed or NaN one', () => {
      const caller = new Caller();
      for (let i = 0; i < 64; i++) caller.callSoon(() => i);
      const work = (): void => undefined;
      expect([caller.schedule(work, 0), caller.schedule(work, -1), caller.schedule(work, 10), caller.schedule(work, NaN)].map((a) => a.closed)).toEqual([true, true, false, false]);
    });

    it('should chain a zero-delay action to its subscriber while the queue is short', () => {
      const caller = new Caller();
      for (let i = 0; i < 63; i++) caller.callSoon(() => i);
      expect(caller.schedule(() => undefined).closed).toBe(false);
    });

    it('should cancel one left out of its subscriber by its own unsubscribe(): it never runs, stays closed, and runs a teardown added to it at once', async () => {
      const caller = new Caller();
      for (let i = 0; i < 64; i++) caller.callSoon(() => i);
      const ran: string[] = [];
      const cancelled = caller.schedule(() => void ran.push('cancelled'));
      const kept = caller.schedule(() => void ran.push('kept'));
      let tornDown = 0;
      cancelled.add(() => void tornDown++);
      expect(tornDown).toBe(1);
      cancelled.unsubscribe();
      cancelled.unsubscribe();
      expect(cancelled.closed).toBe(true);
      await within(caller.callSoon(() => undefined));
      expect(ran).toEqual(['kept']);
      expect(kept.closed).toBe(true);
    });
  });

  describe('schedule() on a caller that is stopping or stopped', () => {
    it('should return a closed action at once, delayed or not, and never run it', async () => {
      const caller = new Caller();
      const release = await holdCall(caller);
      caller.stop();
      let runs = 0;
      const work = (): void => void runs++;
      expect([caller.schedule(work), caller.schedule(work, 5)].map((a) => a.closed)).toEqual([true, true]);
      release.resolve();
      await within(caller.stopped);
      expect([caller.schedule(work), caller.schedule(work, 5)].map((a) => a.closed)).toEqual([true, true]);
      expect(runs).toBe(0);
    });
  });

  describe('rescheduling an action from outside its work', () => {
    type Action = Subscription & { schedule(state?: unknown, delay?: number): Subscription };

    it('should ask its backend for nothing once the action is unsubscribed', () => {
      const { backend, delays } = recordingBackend();
      const caller = new Caller({ backend });
      const action = caller.schedule(() => undefined, 20) as Action;
      action.unsubscribe();
      delays.length = 0;
      action.schedule(undefined, 0);
      action.schedule(undefined, 10);
      expect(delays).toEqual([]);
    });

    it('should unsubscribe its backend timer when a delayed action is unsubscribed', () => {
      const { backend, timers } = recordingBackend();
      const caller = new Caller({ backend });
      const action = caller.schedule(() => undefined, 50);
      expect(timers.map((t) => t.closed)).toEqual([false]);
      action.unsubscribe();
      expect(timers.map((t) => t.closed)).toEqual([true]);
    });

    it('should run an action delayed beyond 2^31 - 1 ms at its delay, never asking its backend for a longer timer (virtual time)', () => {
      const testScheduler = createTestScheduler();
      testScheduler.run(({ flush }) => {
        const { backend, delays } = recordingBackend({ now: () => testScheduler.now() });
        const caller = new Caller({ backend });
        const runs: number[] = [];
        caller.schedule(() => void runs.push(testScheduler.now()), MAX_TIMER_DELAY + 5);
        flush();
        expect(runs).toEqual([MAX_TIMER_DELAY + 5]);
        expect(delays).toEqual([MAX_TIMER_DELAY]);
      });
    });

    it('should ask its backend for no timer for a delay of Infinity or NaN (never)', () => {
      const { backend, delays } = recordingBackend();
      const caller = new Caller({ backend });
      const action = caller.schedule(() => undefined, Infinity) as Action;
      action.schedule(undefined, NaN);
      expect(delays).toEqual([]);
      expect(action.closed).toBe(false);
    });

    it('should run a delayed action once when it is moved to the queue (its timer cleared)', () => {
      const testScheduler = createTestScheduler();
      testScheduler.run(({ flush }) => {
        const caller = new Caller();
        const runs: number[] = [];
        const action = caller.schedule(() => void runs.push(testScheduler.now()), 50) as Action;
        testScheduler.schedule(() => action.schedule(undefined, 0), 10);
        flush();
        expect(runs).toEqual([10]);
      });
    });

    it('should run a queued action only at its new delay when it is scheduled again with one (the queued run superseded)', () => {
      const testScheduler = createTestScheduler();
      testScheduler.run(({ flush }) => {
        const caller = new Caller();
        const runs: number[] = [];
        const action = caller.schedule(() => void runs.push(testScheduler.now())) as Action;
        action.schedule(undefined, 30);
        flush();
        expect(runs).toEqual([30]);
      });
    });

    it('should keep a queued action at its place in the queue when it is scheduled again', async () => {
      const caller = new Caller();
      const order: string[] = [];
      const action = caller.schedule(() => void order.push('action')) as Action;
      const call = caller.callSoon(() => order.push('call'));
      action.schedule(undefined, 0);
      await within(call);
      expect(order).toEqual(['action', 'call']);
    });
  });

  describe('an action rescheduled once its caller has stopped', () => {
    it('should be cancelled instead of queued, and its work never runs', () => {
      const caller = new Caller();
      let runs = 0;
      const action = caller.schedule(() => runs++, 1000) as Subscription & { schedule(state?: unknown, delay?: number): Subscription };
      caller.stop();
      expect(caller.state).toBe('stopped');
      action.schedule(undefined, 0);
      expect(action.closed).toBe(true);
      expect(runs).toBe(0);
    });
  });
});

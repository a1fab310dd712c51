import { Observable, Subscription, asapScheduler, observeOn, range, type SchedulerLike } from 'rxjs';
import { PendingCancelled } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import { Caller } from '../../schedulers/Caller.js';
import { deferred, flushMicrotasks, rejectionOf, stopAllCallers } from '../helpers/callers.js';
import { takeReports } from '../helpers/reports.js';
import { within, SLOW_TEST_MS } from '../helpers/within.js';

/** callSoon, callLater, callDirect, scheduleCall, callUsingBackend: results, errors, queue order, fairness, identity rule. */
describe('Caller calls', () => {
  afterEach(stopAllCallers);

  describe('callSoon', () => {
    it("should resolve the pending with fn's value, never running fn in the calling frame", async () => {
      const caller = new Caller();
      let ran = false;
      const p = caller.callSoon((a: number, b: number) => {
        ran = true;
        return a + b;
      }, 40, 2);
      expect(ran).toBe(false);
      expect(p.state).toBe('pending');
      expect(await within(p)).toBe(42);
      expect(p.state).toBe('fulfilled');
    });

    it('should call fn with exactly the arguments given (none when none are given)', async () => {
      const caller = new Caller();
      const received = (...args: unknown[]) => args;
      expect(await within(caller.callSoon(received))).toEqual([]);
      expect(await within(caller.callSoon(received, undefined))).toEqual([undefined]);
      expect(await within(caller.callSoon(received, 1, 'two', null))).toEqual([1, 'two', null]);
    });

    it('should await a returned promise, and a returned Pending', async () => {
      const caller = new Caller();
      expect(await caller.callSoon(async () => 'async')).toBe('async');
      const inner = new Pending<string>();
      const p = caller.callSoon(() => inner);
      await flushMicrotasks();
      expect(p.state).toBe('pending');
      inner.setResult('inner');
      expect(await within(p)).toBe('inner');
    });

    it('should reject with what fn throws or its promise rejects with, and the caller goes on', async () => {
      const caller = new Caller();
      const thrown = new Error('thrown');
      const rejected = new Error('rejected');
      expect(await rejectionOf(caller.callSoon(() => {
        throw thrown;
      }))).toBe(thrown);
      expect(await rejectionOf(caller.callSoon(() => Promise.reject(rejected)))).toBe(rejected);
      expect(await caller.callSoon(() => 'still running')).toBe('still running');
      expect(caller.running).toBe(true);
    });

    it('should report a failure nobody observed once, to config.onUnobservedError', async () => {
      const caller = new Caller();
      const error = new Error('nobody looked');
      const p = caller.callSoon(() => {
        throw error;
      });
      const reports = await takeReports();
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ kind: 'unobserved', error, pending: p });
    });

    it('should store fn, args and caller as metadata', () => {
      const caller = new Caller();
      const fn = (a: number, b: string) => `${a}${b}`;
      const p = caller.callSoon(fn, 1, 'x');
      expect(p.metadata).toEqual({ fn, args: [1, 'x'], caller });
    });
  });

  describe('callLater', () => {
    it('should run fn with its args after the delay, timed by the backend', async () => {
      const requested: number[] = [];
      const backend: SchedulerLike = {
        now: () => asapScheduler.now(),
        schedule: ((work: never, delay?: number, state?: never) => {
          requested.push(delay ?? 0);
          return asapScheduler.schedule(work, delay, state);
        }) as SchedulerLike['schedule'],
      };
      const caller = new Caller({ backend });
      expect(await caller.callLater(3, (a: string) => a.toUpperCase(), 'later')).toBe('LATER');
      expect(requested).toContain(3);
    });

    it('should never hand a host timer a delay above 2^31 - 1 ms (it would fire at once)', () => {
      const requested: number[] = [];
      const recording: SchedulerLike = {
        now: () => 0,
        schedule: (_work, delay) => {
          requested.push(delay ?? 0);
          return new Subscription();
        },
      };
      const caller = new Caller({ backend: recording });
      let ran = false;
      caller.callLater(2 ** 31 + 5, () => (ran = true));
      expect(requested.length).toBeGreaterThan(0);
      expect(Math.max(...requested)).toBeLessThanOrEqual(2 ** 31 - 1);
      expect(ran).toBe(false);
    });

    it('should settle cancelled at once when cancelled before it fires, and never run fn', async () => {
      const caller = new Caller();
      let ran = false;
      const p = caller.callLater(5, () => (ran = true));
      expect(p.cancel('not needed')).toBe(true);
      expect(p.state).toBe('cancelled');
      expect(await rejectionOf(p)).toBeInstanceOf(PendingCancelled);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(ran).toBe(false);
    });
  });

  describe('callDirect', () => {
    it('should run fn with its args on the queue, with no pending, and report what it throws to the error sink', async () => {
      const caller = new Caller();
      const seen: unknown[] = [];
      const error = new Error('direct failed');
      expect(caller.callDirect((a: number) => seen.push(a), 1)).toBeUndefined();
      caller.callDirect(() => {
        throw error;
      });
      caller.callDirect(() => seen.push(Caller.current() === caller, Caller.currentPending()));
      expect(seen).toEqual([]);
      await caller.callSoon(() => undefined);
      expect(seen).toEqual([1, true, undefined]);
      const reports = await takeReports();
      expect(reports).toEqual([{ kind: 'unobserved', error, pending: undefined }]);
    });
  });

  describe('scheduleCall and callUsingBackend', () => {
    it('should store fn, args, caller and the user metadata on the pending', async () => {
      const caller = new Caller();
      const fn = (a: number) => a * 2;
      const p = caller.scheduleCall(fn, [21], { metadata: { label: 'double', fn: 'ignored' } });
      expect(p.metadata).toEqual({ label: 'double', fn, args: [21], caller });
      expect(await within(p)).toBe(42);
    });

    it('should run through another backend when asked, still on this caller', async () => {
      const caller = new Caller();
      const schedule = jest.fn((work: Parameters<SchedulerLike['schedule']>[0], delay?: number, state?: unknown) => asapScheduler.schedule(work, delay, state));
      const other: SchedulerLike = { now: () => Date.now(), schedule: schedule as SchedulerLike['schedule'] };
      const seen = await caller.scheduleCall(() => [Caller.current(), Caller.currentPending()], [], { backend: other });
      expect(schedule).toHaveBeenCalledTimes(1);
      expect(seen[0]).toBe(caller);
      expect(seen[1]).toBeInstanceOf(Pending);
      const [current, pending] = await caller.callUsingBackend('async', () => [Caller.current(), Caller.currentPending()]);
      expect(current).toBe(caller);
      expect(pending).toBeInstanceOf(Pending);
    });

    it('should cancel a call waiting on another backend at once, and never run it', async () => {
      const caller = new Caller();
      let ran = false;
      const p = caller.callUsingBackend('async', () => (ran = true));
      p.cancel();
      expect(p.state).toBe('cancelled');
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(ran).toBe(false);
    });
  });

  describe('one FIFO queue', () => {
    it('should run 10 000 calls mixing callSoon, callDirect and schedule(…, 0) in the order they were made', async () => {
      const caller = new Caller();
      const order: number[] = [];
      for (let i = 0; i < 10_000; i++) {
        if (i % 3 === 0) caller.callSoon(() => order.push(i));
        else if (i % 3 === 1) caller.callDirect(() => order.push(i));
        else caller.schedule(() => order.push(i));
      }
      await caller.callSoon(() => undefined);
      expect(order).toHaveLength(10_000);
      expect(order.every((value, index) => value === index)).toBe(true);
    });

    it('should run calls made from inside a call after those already queued', async () => {
      const caller = new Caller();
      const order: string[] = [];
      caller.callSoon(() => {
        order.push('a');
        caller.callSoon(() => order.push('c'));
      });
      caller.callSoon(() => order.push('b'));
      await caller.callSoon(() => undefined);
      await caller.callSoon(() => undefined);
      expect(order).toEqual(['a', 'b', 'c']);
    });

    it('should let the host event loop in while 200 000 queued calls drain (fairness)', async () => {
      const caller = new Caller();
      const total = 200_000;
      let ran = 0;
      for (let i = 0; i < total - 1; i++) caller.callSoon(() => ran++);
      const last = caller.callSoon(() => ++ran);
      let ranWhenImmediateFired = -1;
      setImmediate(() => (ranWhenImmediateFired = ran));
      // Not bounded by within(): 200 000 calls may take longer than its limit on a loaded machine.
      expect(await last).toBe(total);
      expect(ranWhenImmediateFired).toBeGreaterThan(0);
      expect(ranWhenImmediateFired).toBeLessThan(total);
      // jest's usual limit, kept for this test when `npm run mutation` lowers it (instrumented, it runs slower).
    }, 20_000);
  });

  describe('errors in scheduled work', () => {
    it("should not cancel another caller's work in the same asapScheduler flush, and report the error", async () => {
      const a = new Caller({ backend: asapScheduler });
      const b = new Caller({ backend: asapScheduler });
      const error = new Error('work of a failed');
      a.schedule(() => {
        throw error;
      });
      const bRan = deferred<string>();
      b.schedule(() => bRan.resolve('b ran'));
      const aGoesOn = deferred<string>();
      a.schedule(() => aGoesOn.resolve('a goes on'));
      expect(await within(bRan.promise)).toBe('b ran');
      expect(await within(aGoesOn.promise)).toBe('a goes on');
      expect(await takeReports()).toEqual([{ kind: 'unhandled', error }]);
    });
  });

  describe('identity rule (observeOn(caller) keeps nothing on the subscriber)', () => {
    /** The finalizers `subscriber` keeps after `count` values through observeOn(scheduler). */
    async function retainedFinalizers(scheduler: SchedulerLike, count: number): Promise<{ retained: number; peak: number; values: number }> {
      let retained = 0;
      let peak = 0;
      let values = 0;
      const done = deferred();
      new Observable<number>((subscriber) => {
        const add = subscriber.add.bind(subscriber);
        const remove = subscriber.remove.bind(subscriber);
        subscriber.add = (teardown) => {
          if (teardown instanceof Subscription && !teardown.closed) peak = Math.max(peak, ++retained);
          add(teardown);
        };
        subscriber.remove = (teardown) => {
          retained--;
          remove(teardown);
        };
        return range(0, count).pipe(observeOn(scheduler)).subscribe(subscriber);
      }).subscribe({ next: () => values++, complete: () => done.resolve() });
      await done.promise;
      return { retained, peak, values };
    }

    it('should not grow the finalizer count of a subscriber with the number of values', async () => {
      const caller = new Caller();
      const ten = await retainedFinalizers(caller, 10);
      const thousand = await retainedFinalizers(caller, 1000);
      const hundredThousand = await retainedFinalizers(caller, 100_000);
      expect(ten.values).toBe(10);
      expect(thousand.values).toBe(1000);
      expect(hundredThousand.values).toBe(100_000);
      // Nothing is left behind once the values went through...
      expect(thousand.retained).toBe(ten.retained);
      expect(hundredThousand.retained).toBe(ten.retained);
      // ...and while a burst is queued, only the first few actions (before the queue is long) are chained.
      expect(hundredThousand.peak).toBe(thousand.peak);
      expect(thousand.peak).toBeLessThanOrEqual(65);
      // The measure itself can fail: asapScheduler registers every queued action with the subscriber.
      expect((await retainedFinalizers(asapScheduler, 1000)).peak).toBeGreaterThan(100);
    }, SLOW_TEST_MS);
  });
});

describe('Caller after a failed TestScheduler.run()', () => {
  afterEach(stopAllCallers);

  it('should drain again when the run() that held its drain threw before flushing', async () => {
    const caller = new Caller();
    const { createTestScheduler } = await import('../helpers/testScheduler.js');
    let lost: Pending<string> | undefined;
    expect(() =>
      createTestScheduler().run(() => {
        lost = caller.callSoon(() => 'queued inside the failed run');
        throw new Error('the test body failed');
      }),
    ).toThrow('the test body failed');
    expect(lost!.state).toBe('pending');
    await expect(caller.callSoon(() => 'after')).resolves.toBe('after');
    expect(lost!.result()).toBe('queued inside the failed run');
  });
});

/**
 * Caller behaviours mutation testing showed no other test pinned (see CONTRIBUTING.md, "Mutation
 * testing"): protected lifecycle pendings, group membership per call method, stopping another caller,
 * delays beyond a host timer, drains that must not run on a microtask, time slices and frame budgets
 * (behaviour, on a clock the test controls), and the order in which stop() settles.
 */
import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { CallerStoppedError, PendingCancelled } from '../../lib/errors.js';
import { MAX_TIMER_DELAY } from '../../lib/internal/scheduleTimeout.js';
import type { Pending } from '../../lib/Pending.js';
import { Caller } from '../../schedulers/Caller.js';
import { flushMicrotasks, holdCall, stopAllCallers, thrownBy } from '../helpers/callers.js';
import { createTestScheduler } from '../helpers/testScheduler.js';
import { within } from '../helpers/within.js';

/** A SchedulerLike over asyncScheduler that records the delay of every schedule() call made on it. */
function recordingScheduler(now: () => number = () => asyncScheduler.now()): SchedulerLike & { delays: number[]; onSchedule?: () => void } {
  const scheduler = {
    delays: [] as number[],
    onSchedule: undefined as (() => void) | undefined,
    now,
    schedule<S>(work: (this: SchedulerAction<S>, state?: S) => void, delay = 0, state?: S): Subscription {
      scheduler.delays.push(delay);
      scheduler.onSchedule?.();
      return asyncScheduler.schedule(work, delay, state);
    },
  };
  return scheduler;
}

describe('Caller (details)', () => {
  afterEach(stopAllCallers);

  describe('lifecycle pendings', () => {
    it('should keep started, stopping and stopped when their last subscriber unsubscribes (protected)', () => {
      const caller = new Caller();
      for (const p of [caller.started, caller.stopping, caller.stopped]) {
        expect(p.protected).toBe(true);
        p.subscribe().unsubscribe();
      }
      expect([caller.started.state, caller.stopping.state, caller.stopped.state]).toEqual(['fulfilled', 'pending', 'pending']);
      expect(caller.state).toBe('running');
    });

    it('should not settle stopped before its delayed calls are cancelled, when a child stops at once', () => {
      const caller = new Caller();
      caller.get({ name: 'child' });
      const delayed = caller.callLater(1000, () => 'late');
      let delayedWhenStopped: string | undefined;
      caller.stopped.addDoneCallback(() => (delayedWhenStopped = delayed.state));
      expect(caller.stop()).toBe(caller.stopped);
      expect(caller.state).toBe('stopped');
      expect(delayedWhenStopped).toBe('cancelled');
    });

    it('should refuse every kind of call while stopping, naming the state', async () => {
      const caller = new Caller({ name: 'winding-down' });
      const release = await holdCall(caller);
      expect(caller.stop()).toBe(caller.stopped);
      expect(caller.state).toBe('stopping');
      const refused = [caller.callSoon(() => 1), caller.callLater(5, () => 1), caller.scheduleCall(() => 1, []), caller.callUsingBackend('async', () => 1)];
      expect(refused.map((p) => p.state)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
      expect(thrownBy(() => refused[0]!.result())).toEqual(new PendingCancelled(["caller 'winding-down' is stopping"]));
      expect(thrownBy(() => caller.callDirect(() => 1))).toEqual(new CallerStoppedError("Caller 'winding-down' is stopping: callDirect was refused"));
      expect(thrownBy(() => caller.queueCall(() => 1))).toEqual(new CallerStoppedError("Caller 'winding-down' is stopping: queueCall was refused"));
      expect(thrownBy(() => caller.get())).toEqual(new CallerStoppedError("Caller 'winding-down' is stopping: it makes no new children"));
      expect(caller.schedule(() => undefined).closed).toBe(true);
      release.resolve();
      await within(caller.stopped);
    });
  });

  describe('get() messages', () => {
    it('should name the bad thread and process options, and the kind an existing child has', () => {
      const parent = new Caller({ name: 'p' });
      expect(thrownBy(() => parent.get({ thread: 5 as never }))).toEqual(new TypeError('Expected `options.thread` to be true or a ThreadOptions object, got `5` (number)'));
      expect(thrownBy(() => parent.get({ thread: null as never }))).toEqual(new TypeError('Expected `options.thread` to be true or a ThreadOptions object, got `null` (null)'));
      expect(thrownBy(() => parent.get({ process: 'yes' as never }))).toEqual(new TypeError('Expected `options.process` to be true or a ProcessOptions object, got `"yes"` (string)'));
      expect(thrownBy(() => parent.get({ process: null as never }))).toEqual(new TypeError('Expected `options.process` to be true or a ProcessOptions object, got `null` (null)'));
      expect(thrownBy(() => parent.get({ thread: true, process: true } as never))).toEqual(new TypeError('Expected one of `options.thread` and `options.process`, got both'));
      parent.get({ name: 'same' });
      expect(thrownBy(() => parent.get({ name: 'same', thread: true }))).toEqual(new TypeError("Child 'same' of caller 'p' is not a thread caller"));
      expect(thrownBy(() => parent.get({ name: 'same', process: true }))).toEqual(new TypeError("Child 'same' of caller 'p' is not a process caller"));
      expect(parent.children.size).toBe(1);
    });
  });

  describe('group membership', () => {
    it('should make scheduleCall and callUsingBackend members of the current group, but not the queueCall task', async () => {
      const caller = new Caller();
      const group = caller.createPendingGroup();
      const counts: string[] = [];
      await within(
        group.run(() => {
          caller.scheduleCall(() => 1, []);
          counts.push(String(group));
          caller.callUsingBackend('async', () => 2);
          counts.push(String(group));
          caller.queueCall(() => 3);
          counts.push(String(group));
        }),
      );
      expect(counts).toEqual([
        '<PendingGroup running mode=0 1 member>',
        '<PendingGroup running mode=0 2 members>',
        '<PendingGroup running mode=0 2 members>',
      ]);
    });
  });

  describe('stop() from inside a call', () => {
    it('should not cancel a call that stops a different caller', async () => {
      const caller = new Caller();
      const other = new Caller();
      const call = caller.callSoon(() => {
        other.stop();
        return 'went on';
      });
      expect(await within(call)).toBe('went on');
      expect(other.state).toBe('stopped');
    });
  });

  describe('delays', () => {
    it('should fire a callLater longer than 2^31 - 1 ms, never asking its backend for a longer timer (virtual time)', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const backend = recordingScheduler();
        const caller = new Caller({ backend });
        const delay = MAX_TIMER_DELAY + 5;
        expectObservable(caller.callLater(delay, () => 'late')).toBe(`${delay}ms (a|)`, { a: 'late' });
        expect(backend.delays).toEqual([MAX_TIMER_DELAY]);
      });
    });
  });

  describe('drains', () => {
    it.each([
      ["'async'", () => new Caller({ backend: 'async' })],
      ['a custom SchedulerLike', () => new Caller({ backend: recordingScheduler() })],
    ])('should not drain the %s backend on a microtask, but on its own tick', async (_label, make) => {
      const caller = make();
      let ran = false;
      const call = caller.callSoon(() => (ran = true));
      await flushMicrotasks();
      expect(ran).toBe(false);
      await within(call);
      expect(ran).toBe(true);
    });

    it('should yield to its backend once a drain has run for the time slice (5 ms on the backend clock)', async () => {
      // A clock the test controls: each call moves it on by 5/128 ms (exact in binary), so the slice is
      // used up exactly at the 256th call of a drain (the clock is read every 128 calls). It reads 0 at the
      // first check, as a virtual clock's first frame does: 0 is a time like any other.
      let now = -5;
      const backend = recordingScheduler(() => now);
      const ranAtSchedule: number[] = [];
      let ran = 0;
      backend.onSchedule = () => ranAtSchedule.push(ran);
      const caller = new Caller({ backend });
      const calls: Pending<void>[] = [];
      for (let i = 0; i < 1000; i++) {
        calls.push(
          caller.callSoon(() => {
            ran++;
            now += 5 / 128;
          }),
        );
      }
      await within(calls[999]!);
      // The batch's tick, then a yield every 256 calls: the read at the 128th call of a slice starts it
      // (at 0 ms for the first), the read 128 calls (exactly 5 ms) later ends it. The last 232 calls end
      // the batch before their slice is used up.
      expect(ranAtSchedule).toEqual([0, 256, 512, 768]);
      expect(backend.delays).toEqual([0, 0, 0, 0]);
    });

    it('should not yield when the time slice is used up by the last call of the batch', async () => {
      // As above, the slice ends at the 256th call: with 256 calls the batch is over by then, so the drain
      // neither reads the clock nor yields, and the next call gets a batch tick of its own.
      let now = 0;
      let reads = 0;
      const backend = recordingScheduler(() => (reads++, now));
      const ranAtSchedule: number[] = [];
      let ran = 0;
      backend.onSchedule = () => ranAtSchedule.push(ran);
      const caller = new Caller({ backend });
      const calls: Pending<void>[] = [];
      for (let i = 0; i < 256; i++) {
        calls.push(
          caller.callSoon(() => {
            ran++;
            now += 5 / 128;
          }),
        );
      }
      await within(calls[255]!);
      expect(ranAtSchedule).toEqual([0]);
      expect(reads).toBe(1);
      await within(caller.callSoon(() => undefined));
      expect(ranAtSchedule).toEqual([0, 256]);
    });

    it('should count each batch and each time slice from its own start', async () => {
      // A slower clock: 1/128 ms a call, so a slice lasts 640 calls, counted from its first clock read
      // (the 128th call of the batch), and yields at the 768th. The first batch (200 calls) ends well
      // before; the second starts its own count.
      let now = 1000;
      const backend = recordingScheduler(() => now);
      const ranAtSchedule: number[] = [];
      let ran = 0;
      backend.onSchedule = () => ranAtSchedule.push(ran);
      const caller = new Caller({ backend });
      const work = () => {
        ran++;
        now += 1 / 128;
      };
      const queue = (count: number) => Array.from({ length: count }, () => caller.callSoon(work)).pop()!;
      await within(queue(200));
      await within(queue(1000));
      expect(ranAtSchedule).toEqual([0, 200, 968]);
    });

    it("should run work queued during an animation frame in the next frame ('animationFrame' budget, virtual time)", () => {
      const testScheduler = createTestScheduler();
      testScheduler.run(({ animate }) => {
        animate('xxxxx');
        const caller = new Caller({ backend: 'animationFrame' });
        const frames: string[] = [];
        const note = (name: string) => frames.push(`${name}@${testScheduler.now()}`);
        caller.callSoon(() => {
          note('a');
          caller.callSoon(() => {
            note('b');
            caller.callSoon(() => note('c'));
          });
        });
        caller.callSoon(() => note('a2'));
        testScheduler.schedule(() => expect(frames).toEqual(['a@0', 'a2@0', 'b@1', 'c@2']), 4);
      });
    });
  });
});

import { firstValueFrom, queueScheduler } from 'rxjs';
import { DeadlockError, PendingCancelled } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import { Caller } from '../../schedulers/Caller.js';
import { deferred, flushMicrotasks, rejectionOf, stopAllCallers } from '../helpers/callers.js';
import { within } from '../helpers/within.js';

/** What a call sees while it runs: its caller and pending (across awaits), cancellation, and deadlocks. */
describe('Caller call context', () => {
  afterEach(stopAllCallers);

  describe('context', () => {
    it('should run fn with Caller.current() === the caller and currentPending() === its pending, across awaits', async () => {
      const caller = new Caller({ name: 'ctx' });
      const seen: [string, Caller, unknown][] = [];
      const p: Pending<void> = caller.callSoon(async () => {
        seen.push(['sync part', Caller.current(), Caller.currentPending()]);
        await Promise.resolve();
        seen.push(['after a microtask', Caller.current(), Caller.currentPending()]);
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(['after a timer', Caller.current(), Caller.currentPending()]);
        await caller.callSoon(() => undefined);
        seen.push(['after awaiting another call', Caller.current(), Caller.currentPending()]);
      });
      await p;
      expect(seen).toEqual([
        ['sync part', caller, p],
        ['after a microtask', caller, p],
        ['after a timer', caller, p],
        ['after awaiting another call', caller, p],
      ]);
      expect(Caller.currentPending()).toBeUndefined();
    });

    it('should give each item of one batch its own context: calls their pending (across awaits), other work none', async () => {
      // One batch, several kinds of item: a call must not see the one before it, nor work after it the call.
      const caller = new Caller({ name: 'batch' });
      const seen: [string, Caller, unknown][] = [];
      const first = caller.callSoon(async () => {
        seen.push(['first, sync', Caller.current(), Caller.currentPending()]);
        await Promise.resolve();
        seen.push(['first, after an await', Caller.current(), Caller.currentPending()]);
      });
      const second = caller.callSoon(() => void seen.push(['second', Caller.current(), Caller.currentPending()]));
      caller.schedule(() => void seen.push(['scheduled work', Caller.current(), Caller.currentPending()]));
      caller.callDirect(() => void seen.push(['callDirect', Caller.current(), Caller.currentPending()]));
      const third = caller.callSoon(() => void seen.push(['third', Caller.current(), Caller.currentPending()]));
      await Promise.all([first, second, third]);
      expect(seen).toEqual([
        ['first, sync', caller, first],
        ['second', caller, second],
        ['scheduled work', caller, undefined],
        ['callDirect', caller, undefined],
        ['third', caller, third],
        ['first, after an await', caller, first],
      ]);
    });

    it("should switch to the other caller's context for a call made from inside a call", async () => {
      const a = new Caller({ name: 'a' });
      const b = new Caller({ name: 'b' });
      const [outer, inner, back] = await a.callSoon(async () => {
        const outerPending = Caller.currentPending();
        const innerSeen = await b.callSoon(() => [Caller.current(), Caller.currentPending()] as const);
        return [[Caller.current(), outerPending], innerSeen, Caller.current()] as const;
      });
      expect(outer[0]).toBe(a);
      expect(inner[0]).toBe(b);
      expect(inner[1]).not.toBe(outer[1]);
      expect(back).toBe(a);
    });

    it('should give the context back after a batch drained synchronously inside a call, even one that starts in its own frame', async () => {
      // queueScheduler drains the batch inside callSoon: its calls enter their own frames and must leave
      // none behind, also when the batch's own frame (the caller's) was current already (a reaction of its work).
      const sync = new Caller({ name: 'sync', backend: queueScheduler });
      const outer = new Caller({ name: 'outer' });
      const [before, inner, after] = await outer.callSoon(() => {
        const seenBefore = Caller.currentPending();
        // Wrapped: a call returning a pending would wait for it.
        const innerCall = sync.callSoon(() => ({ seen: Caller.currentPending() }));
        return [seenBefore, innerCall.result().seen, Caller.currentPending()] as const;
      });
      expect(inner).not.toBe(before);
      expect(after).toBe(before);
      const inWork = deferred<readonly [Caller, unknown]>();
      sync.schedule(() => {
        // A reaction keeps the work's context (the caller's frame): the batch below starts in its own frame.
        void Promise.resolve().then(() => {
          sync.callSoon(() => undefined);
          inWork.resolve([Caller.current(), Caller.currentPending()]);
        });
      });
      expect(await within(inWork.promise)).toEqual([sync, undefined]);
    });

    it('should run callLater, scheduleCall and callDirect functions in the caller context too', async () => {
      const caller = new Caller();
      expect(await caller.callLater(1, () => Caller.current())).toBe(caller);
      expect(await caller.scheduleCall(() => Caller.current(), [])).toBe(caller);
      const direct = deferred<Caller>();
      caller.callDirect(() => direct.resolve(Caller.current()));
      expect(await within(direct.promise)).toBe(caller);
    });
  });

  describe('cancellation', () => {
    it('should cancel a queued call at once, and never run fn', async () => {
      const caller = new Caller();
      let ran = false;
      const p = caller.callSoon(() => (ran = true));
      expect(p.cancel('changed my mind')).toBe(true);
      expect(p.state).toBe('cancelled');
      await caller.callSoon(() => undefined);
      expect(ran).toBe(false);
      const error = await rejectionOf(p);
      expect(error).toBeInstanceOf(PendingCancelled);
      expect((error as Error).message).toMatch(/changed my mind/);
    });

    it('should reach running work through Caller.currentPending()!.signal', async () => {
      const caller = new Caller();
      const started = deferred();
      const p = caller.callSoon(async () => {
        const signal = Caller.currentPending()!.signal;
        started.resolve();
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        throw signal.reason;
      });
      await started.promise;
      p.cancel('stop now');
      expect(p.state).toBe('cancelling');
      expect(p.signal.aborted).toBe(true);
      const error = await rejectionOf(p);
      expect(error).toBeInstanceOf(PendingCancelled);
      expect(p.state).toBe('cancelled');
    });

    it('should end cancelled even when the work delivers a value after the cancel (sticky)', async () => {
      const caller = new Caller();
      const release = deferred();
      const started = deferred();
      const p = caller.callSoon(async () => {
        started.resolve();
        await release.promise;
        return 'too late';
      });
      await started.promise;
      p.cancel();
      release.resolve();
      expect(await rejectionOf(p)).toBeInstanceOf(PendingCancelled);
    });

    it('should cancel a Pending the work returned', async () => {
      const caller = new Caller();
      const inner = new Pending<number>();
      const p = caller.callSoon(() => inner);
      await flushMicrotasks();
      p.cancel('outer');
      expect(inner.cancelled).toBe(true);
      expect(await rejectionOf(p)).toBeInstanceOf(PendingCancelled);
    });

    it('should settle work that ignores its signal as cancelled after Caller.CANCEL_GRACE', async () => {
      const grace = Caller.CANCEL_GRACE;
      Caller.CANCEL_GRACE = 5;
      try {
        const caller = new Caller();
        const started = deferred();
        const p = caller.callSoon(() => {
          started.resolve();
          return new Promise<never>(() => undefined); // never settles, ignores the signal
        });
        await started.promise;
        p.cancel('give up');
        expect(p.state).toBe('cancelling');
        const error = await rejectionOf(p);
        expect(error).toBeInstanceOf(PendingCancelled);
        expect(p.state).toBe('cancelled');
      } finally {
        Caller.CANCEL_GRACE = grace;
      }
    });
  });

  describe('deadlock', () => {
    it('should reject at once when a call awaits its own pending', async () => {
      const caller = new Caller();
      const p = caller.callSoon(async () => {
        await Caller.currentPending();
      });
      expect(await rejectionOf(p)).toBeInstanceOf(DeadlockError);
    });

    it('should reject at once when a call subscribes to its own pending', async () => {
      const caller = new Caller();
      const p = caller.callSoon(() => firstValueFrom(Caller.currentPending()!));
      expect(await rejectionOf(p)).toBeInstanceOf(DeadlockError);
      const q = caller.callSoon(() => Caller.currentPending()!.wait());
      expect(await rejectionOf(q)).toBeInstanceOf(DeadlockError);
    });

    it('should detect a two-call cycle: A awaits B while B awaits A', async () => {
      const caller = new Caller();
      const aWaits = deferred();
      let a!: Pending<unknown>;
      let b!: Pending<unknown>;
      a = caller.callSoon(async () => {
        const result = b; // A waits on B first
        aWaits.resolve();
        return await result;
      });
      b = caller.callSoon(async () => {
        await aWaits.promise;
        await flushMicrotasks();
        return await a; // closes the cycle
      });
      const bError = await rejectionOf(b);
      expect(bError).toBeInstanceOf(DeadlockError);
      expect((bError as Error).message).toMatch(/cycle/);
      expect(await rejectionOf(a)).toBe(bError);
    });
  });
});

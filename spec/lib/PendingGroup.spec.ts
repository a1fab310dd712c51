import { DeadlockError, PendingCancelled, PendingGroupError } from '../../lib/errors.js';
import { runInFrame } from '../../lib/internal/context.js';
import { Pending } from '../../lib/Pending.js';
import { PendingGroup, type PendingGroupMode } from '../../lib/PendingGroup.js';
import { Caller } from '../../schedulers/Caller.js';
import { takeReports, takeReportsNow } from '../helpers/reports.js';
import { createTestScheduler } from '../helpers/testScheduler.js';
import { within } from '../helpers/within.js';
import { rejectionOf, stopped, thrownBy } from '../operators/helpers.js';

/** A promise settled once `pending` has (within the settle bound), without observing it (no subscriber, then or done callback). */
function settled(pending: Pending<unknown>): Promise<void> {
  return within(new Promise((resolve) => pending._addPassiveCallback(() => resolve())), String(pending));
}

/** Work that honours cancellation: rejects when `signal` aborts. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
}

describe('PendingGroup', () => {
  let caller: Caller;

  beforeEach(() => {
    caller = new Caller({ name: 'group-test' });
  });

  afterEach(() => stopped(caller));

  describe('membership', () => {
    it("should run a body made outside any call with the thread's default caller as Caller.current()", async () => {
      const seen = await new PendingGroup().run(() => Caller.current());
      expect(seen).toBeInstanceOf(Caller);
      expect(seen).toBe(Caller.current());
    });

    it('should settle with the body value once the body and every member have settled', async () => {
      let member!: Pending<string>;
      const value = await caller.createPendingGroup().run(() => {
        member = caller.callLater(10, () => 'member');
        return 'body';
      });
      expect(value).toBe('body');
      expect(member.state).toBe('fulfilled');
    });

    it('should take calls made after an await, and nested calls made by members, as members', async () => {
      let afterAwait!: Pending<string>;
      let nested!: Pending<string>;
      const group = caller.createPendingGroup();
      await group.run(async () => {
        await caller.callSoon(() => undefined);
        afterAwait = caller.callLater(5, () => 'after await');
        caller.callSoon(() => {
          nested = caller.callLater(15, () => 'nested');
        });
      });
      expect(afterAwait.state).toBe('fulfilled');
      expect(nested.state).toBe('fulfilled');
    });

    it('should not take calls made outside it, or with track: false', async () => {
      const outside = caller.callLater(1000, () => 'outside');
      let untracked!: Pending<string>;
      await caller.createPendingGroup().run(() => {
        untracked = caller.scheduleCall(() => caller.callLater(1000, () => 'untracked'), [], { track: false }) as Pending<string>;
      });
      expect(outside.done).toBe(false);
      expect(untracked.done).toBe(false);
    });

    it('should take a pending given to add()', async () => {
      const p = new Pending<string>();
      const group = new PendingGroup();
      const result = group.run(() => {
        group.add(p);
        return 'body';
      });
      await Promise.resolve();
      expect(result.done).toBe(false);
      p.setResult('p');
      expect(await within(result)).toBe('body');
    });

    it('should run the body as the caller that made the group, with the scope as current pending', async () => {
      const group = caller.createPendingGroup();
      let current: Caller | undefined;
      let scope: Pending<unknown> | undefined;
      await group.run(async () => {
        await Promise.resolve();
        current = Caller.current();
        scope = Caller.currentPending();
      });
      expect(current).toBe(caller);
      expect(scope).toBeInstanceOf(Pending);
      expect(scope).not.toBe(group.pending);
    });

    it('should make a group made inside another group a member of it', async () => {
      const outer = caller.createPendingGroup();
      let inner!: PendingGroup;
      let late!: Pending<string>;
      await outer.run(() => {
        inner = new PendingGroup();
        inner.run(() => {
          late = caller.callLater(10, () => 'late');
        });
      });
      expect(inner.pending.state).toBe('fulfilled');
      expect(late.state).toBe('fulfilled');
    });

    it('should fail an outer group when a nested group fails', async () => {
      const outer = caller.createPendingGroup();
      const error = await rejectionOf(
        outer.run(() => {
          new PendingGroup().run(() => caller.callSoon(() => Promise.reject(new Error('deep'))));
        }),
      );
      expect(error).toBeInstanceOf(PendingGroupError);
      const inner = (error as PendingGroupError).errors[0];
      expect(inner).toBeInstanceOf(PendingGroupError);
      expect((inner as PendingGroupError).errors).toEqual([new Error('deep')]);
    });
  });

  describe('failures', () => {
    it('should reject with PendingGroupError holding every member error, and cancel the others', async () => {
      let slow!: Pending<string>;
      const one = new Pending<string>();
      const two = new Pending<string>();
      one.setException(new Error('one'));
      two.setException(new Error('two'));
      const group = caller.createPendingGroup();
      const error = await rejectionOf(
        group.run(() => {
          slow = caller.callLater(1000, () => 'slow');
          group.add(one);
          group.add(two);
        }),
      );
      expect(error).toBeInstanceOf(PendingGroupError);
      expect((error as PendingGroupError).errors).toEqual([new Error('one'), new Error('two')]);
      expect(slow.state).toBe('cancelled');
      expect(await takeReports()).toEqual([]);
    });

    it('should cancel the members still running when one fails', async () => {
      let slow!: Pending<string>;
      let queued!: Pending<string>;
      const error = await rejectionOf(
        caller.createPendingGroup().run(() => {
          slow = caller.callLater(1000, () => 'slow');
          caller.callSoon(() => Promise.reject(new Error('one')));
          queued = caller.callSoon(() => untilAborted(Caller.currentPending()!.signal));
        }),
      );
      expect((error as PendingGroupError).errors).toEqual([new Error('one')]);
      expect(slow.state).toBe('cancelled');
      expect(queued.state).toBe('cancelled');
    });

    it('should reject with the body error as is and cancel the members', async () => {
      let slow!: Pending<string>;
      const bodyError = new Error('body failed');
      const error = await rejectionOf(
        caller.createPendingGroup().run(async () => {
          slow = caller.callLater(1000, () => 'slow');
          await caller.callSoon(() => undefined);
          throw bodyError;
        }),
      );
      expect(error).toBe(bodyError);
      expect(slow.state).toBe('cancelled');
    });

    it('should reject with a synchronous body error as is', async () => {
      const bodyError = new TypeError('sync');
      const result = new PendingGroup().run(() => {
        throw bodyError;
      });
      expect(result.state).toBe('rejected');
      expect(await rejectionOf(result)).toBe(bodyError);
    });

    it('should reject with PendingGroupError when the body only passes on a member failure', async () => {
      const error = await rejectionOf(
        caller.createPendingGroup().run(async () => {
          const other = caller.callLater(1000, () => 'other');
          await caller.callSoon(() => Promise.reject(new Error('member')));
          await other;
        }),
      );
      expect(error).toBeInstanceOf(PendingGroupError);
      expect((error as PendingGroupError).errors).toEqual([new Error('member')]);
    });

    it('should report a failed group nobody observes once, not its members', async () => {
      const group = caller.createPendingGroup();
      group.run(() => {
        caller.callSoon(() => Promise.reject(new Error('lost')));
      });
      await settled(group.pending);
      const reports = await takeReports();
      expect(reports.map((r) => [r.kind, r.pending === group.pending, (r.error as Error).name])).toEqual([['unobserved', true, 'PendingGroupError']]);
    });
  });

  describe('modes', () => {
    /** Runs a group whose body makes a slow member and a member cancelled at once; returns what happened. */
    async function memberCancelled(mode: PendingGroupMode) {
      let slow!: Pending<string>;
      const group = caller.createPendingGroup({ mode });
      const result = group.run(async () => {
        slow = caller.callLater(20, () => 'slow');
        caller.callLater(1000, () => 'cancelled').cancel('dropped');
        return 'body';
      });
      const outcome = await result.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      return { outcome, slow: slow.state, cancelled: group.cancelled };
    }

    /** Runs a group whose body is cancelled while it awaits a slow member; returns what happened. */
    async function groupCancelled(mode: PendingGroupMode) {
      const group = caller.createPendingGroup({ mode });
      const result = group.run(async () => {
        await caller.callLater(1000, () => 'slow');
        return 'body';
      });
      caller.callSoon(() => group.cancel('stop'));
      return result.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
    }

    it('mode 0 should ignore a member cancellation and end quietly when cancelled', async () => {
      expect(await memberCancelled(0)).toEqual({ outcome: { value: 'body' }, slow: 'fulfilled', cancelled: false });
      expect(await groupCancelled(0)).toEqual({ value: undefined });
    });

    it('mode 1 should cancel on a member cancellation and reject with PendingCancelled', async () => {
      expect(await memberCancelled(1)).toEqual({ outcome: { error: new PendingCancelled(['a member was cancelled']) }, slow: 'cancelled', cancelled: true });
      expect(await groupCancelled(1)).toEqual({ error: new PendingCancelled(['stop']) });
    });

    it('mode 2 should cancel on a member cancellation and end quietly', async () => {
      expect(await memberCancelled(2)).toEqual({ outcome: { value: 'body' }, slow: 'cancelled', cancelled: true });
      expect(await groupCancelled(2)).toEqual({ value: undefined });
    });

    it('mode 3 should ignore a member cancellation and reject with PendingCancelled when cancelled', async () => {
      expect(await memberCancelled(3)).toEqual({ outcome: { value: 'body' }, slow: 'fulfilled', cancelled: false });
      expect(await groupCancelled(3)).toEqual({ error: new PendingCancelled(['stop']) });
    });

    it('should keep the body value when cancelled quietly after the body returned', async () => {
      const group = caller.createPendingGroup({ mode: 0 });
      const result = group.run(() => {
        caller.callLater(1000, () => 'slow');
        return 'body';
      });
      group.cancel('enough');
      expect(await within(result)).toBe('body');
    });
  });

  describe('cancellation', () => {
    it('should abort the body signal and cancel later members at once when cancelled', async () => {
      const group = caller.createPendingGroup();
      let later!: Pending<string>;
      const result = group.run(async () => {
        const signal = Caller.currentPending()!.signal;
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        later = caller.callSoon(() => 'later');
        return 'body';
      });
      group.cancel('stop');
      expect(await within(result)).toBe('body');
      expect(later.state).toBe('cancelled');
    });

    it('should cancel the group when its pending is cancelled, and end cancelled', async () => {
      const group = caller.createPendingGroup();
      let slow!: Pending<string>;
      const result = group.run(() => {
        slow = caller.callLater(1000, () => 'slow');
      });
      result.cancel('from outside');
      expect(group.cancelled).toBe(true);
      expect(await rejectionOf(result)).toEqual(new PendingCancelled(['from outside']));
      expect(slow.state).toBe('cancelled');
    });

    it('should be cancelled when the call it was made in is cancelled, unless shielded', async () => {
      const groups: PendingGroup[] = [];
      const members: Pending<string>[] = [];
      const call = caller.callSoon(async () => {
        for (const shield of [false, true]) {
          const group = new PendingGroup({ shield });
          groups.push(group);
          group.run(() => {
            members.push(caller.callLater(20, () => 'member'));
          });
        }
        await untilAborted(Caller.currentPending()!.signal);
      });
      await caller.callSoon(() => undefined);
      call.cancel('outer stop');
      await Promise.all(groups.map((g) => settled(g.pending)));
      expect(groups.map((g) => g.cancelled)).toEqual([true, false]);
      expect(members.map((m) => m.state)).toEqual(['cancelled', 'fulfilled']);
      await rejectionOf(call);
    });

    it('should keep an outer group cancellation out of a shielded inner group, which the outer still waits for', async () => {
      const outer = caller.createPendingGroup();
      let inner!: PendingGroup;
      let member!: Pending<string>;
      const result = outer.run(() => {
        inner = new PendingGroup({ shield: true });
        inner.run(() => {
          member = caller.callLater(20, () => 'member');
        });
        caller.callSoon(() => outer.cancel('outer stop'));
      });
      await result;
      expect(outer.cancelled).toBe(true);
      expect(inner.cancelled).toBe(false);
      expect(member.state).toBe('fulfilled');
      expect(inner.pending.state).toBe('fulfilled');
    });

    it('should cancel the group after `timeout` ms (virtual time)', () => {
      const testScheduler = createTestScheduler();
      testScheduler.run(({ expectObservable }) => {
        const group = new PendingGroup({ timeout: 5, mode: 3 });
        const member = new Pending<string>();
        group.run(() => group.add(member));
        expectObservable(group.pending).toBe('-----#', undefined, new PendingCancelled(['timed out after 5 ms']));
      });
    });

    it('should count a body that ignores cancellation as cancelled after Caller.CANCEL_GRACE', async () => {
      const grace = Caller.CANCEL_GRACE;
      Caller.CANCEL_GRACE = 10;
      try {
        const group = caller.createPendingGroup({ timeout: 5, mode: 1 });
        let wake!: () => void;
        let lateError: unknown;
        const woken = group.run(async () => {
          await new Promise<void>((resolve) => (wake = resolve));
          try {
            caller.callSoon(() => 'late');
          } catch (error) {
            lateError = error;
          }
        });
        expect(await rejectionOf(woken)).toEqual(new PendingCancelled(['timed out after 5 ms']));
        // The body wakes up after the group closed: calls made in its context are refused.
        wake();
        await caller.callSoon(() => undefined);
        expect(lateError).toEqual(new Error('Cannot add a pending to <PendingGroup closed cancelled mode=1 0 members>: the group has settled; make the call outside the group, or before it closes'));
      } finally {
        Caller.CANCEL_GRACE = grace;
      }
    });

    it('should time a caller-made group on the caller', async () => {
      const group = caller.createPendingGroup({ timeout: 5, mode: 1 });
      let slow!: Pending<string>;
      const error = await rejectionOf(
        group.run(() => {
          slow = caller.callLater(1000, () => 'slow');
        }),
      );
      expect(error).toEqual(new PendingCancelled(['timed out after 5 ms']));
      expect(slow.state).toBe('cancelled');
    });
  });

  describe('deadlock', () => {
    it('should reject with DeadlockError when the body awaits its own group', async () => {
      const group = caller.createPendingGroup();
      const error = await rejectionOf(
        group.run(async () => {
          await group.pending;
        }),
      );
      expect(error).toBeInstanceOf(DeadlockError);
    });

    it('should reject with DeadlockError when a member awaits its own group', async () => {
      const group = caller.createPendingGroup();
      const error = await rejectionOf(
        group.run(() => {
          caller.callSoon(async () => {
            await group.pending;
          });
        }),
      );
      expect(error).toBeInstanceOf(PendingGroupError);
      expect((error as PendingGroupError).errors[0]).toBeInstanceOf(DeadlockError);
    });
  });

  describe('lifecycle', () => {
    it('should refuse to run twice', () => {
      const group = new PendingGroup();
      group.run(() => undefined);
      expect(thrownBy(() => group.run(() => undefined))).toEqual(
        new Error('Cannot run a body in <PendingGroup closed mode=0 0 members>: a group is entered once (run() was called, or it was disposed)'),
      );
    });

    it('should refuse a member once closed, cancelling it', () => {
      const group = new PendingGroup();
      group.run(() => undefined);
      const late = new Pending<string>();
      expect(thrownBy(() => group.add(late))).toEqual(
        new Error('Cannot add a pending to <PendingGroup closed mode=0 0 members>: the group has settled; make the call outside the group, or before it closes'),
      );
      expect(late.state).toBe('cancelled');
    });

    it('should refuse a call made in its context after it closed', async () => {
      const group = caller.createPendingGroup();
      let makeCall!: () => Pending<string>;
      await group.run(() => {
        const scope = Caller.currentPending()!;
        makeCall = () => runInFrame({ caller, pending: scope }, () => caller.callSoon(() => 'late'), undefined);
      });
      expect(() => makeCall()).toThrow(/Cannot add a pending to <PendingGroup closed/);
    });

    it('should check its arguments', () => {
      expect(thrownBy(() => new PendingGroup({ mode: 4 as PendingGroupMode }))).toEqual(new TypeError('Expected `options.mode` to be one of 0, 1, 2, 3, got `4` (number)'));
      expect(thrownBy(() => new PendingGroup({ timeout: -5 }))).toBeInstanceOf(RangeError);
      expect(thrownBy(() => new PendingGroup({ shield: 'yes' as unknown as boolean }))).toBeInstanceOf(TypeError);
      expect(thrownBy(() => new PendingGroup().run('body' as never))).toEqual(new TypeError('Expected `body` to be a function, got `"body"` (string)'));
      expect(thrownBy(() => new PendingGroup().add({} as Pending<unknown>))).toBeInstanceOf(TypeError);
      expect(thrownBy(() => new PendingGroup().cancel(5 as unknown as string))).toBeInstanceOf(TypeError);
    });

    it('should wait for its members at the end of an `await using` block', async () => {
      const member = caller.callLater(10, () => 'member');
      {
        await using group = new PendingGroup();
        group.add(member);
      }
      expect(member.state).toBe('fulfilled');
    });

    it('should reject from `await using` when a member fails', async () => {
      const error = await rejectionOf(
        (async () => {
          await using group = new PendingGroup();
          group.add(caller.callSoon(() => Promise.reject(new Error('member'))));
        })(),
      );
      expect(error).toBeInstanceOf(PendingGroupError);
      expect(takeReportsNow()).toEqual([]);
    });

    it('should describe itself', () => {
      const group = new PendingGroup({ mode: 2 });
      group.add(new Pending());
      expect(String(group)).toBe('<PendingGroup idle mode=2 1 member>');
      group.cancel();
      expect(String(group)).toBe('<PendingGroup idle cancelled mode=2 0 members>');
    });
  });
});

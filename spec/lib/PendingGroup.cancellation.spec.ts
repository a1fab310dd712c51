/**
 * PendingGroup behaviours mutation testing showed no other test pinned (see CONTRIBUTING.md, "Mutation
 * testing"): modes with fulfilled members, the default shield, cancel() before run(), the grace period's
 * length, shielded groups passing their outcome on, the reasons members are cancelled with, validation.
 */
import { asyncScheduler } from 'rxjs';
import { PendingCancelled, PendingGroupError } from '../../lib/errors.js';
import { asyncDisposeSymbol } from '../../lib/internal/asyncDispose.js';
import { runInFrame } from '../../lib/internal/context.js';
import { Pending } from '../../lib/Pending.js';
import { PendingGroup, type PendingGroupMode } from '../../lib/PendingGroup.js';
import { Caller } from '../../schedulers/Caller.js';
import { deferred } from '../helpers/callers.js';
import { rejectionOf, thrownBy } from '../helpers/outcomes.js';
import { createTestScheduler } from '../helpers/testScheduler.js';
import { outcomeOf, within } from '../helpers/within.js';
import { stopped } from '../operators/helpers.js';

/** Work that honours cancellation: rejects when `signal` aborts. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
}

/** Something a group's frame can name as its caller, with its own `CANCEL_GRACE`. */
class GracefulCaller {
  static CANCEL_GRACE = 30;
}

/** Makes a group as code running on `caller` would (the group reads the grace period from it). */
function groupMadeBy(caller: object, options?: ConstructorParameters<typeof PendingGroup>[0]): PendingGroup {
  return runInFrame({ caller, pending: undefined }, () => new PendingGroup(options), undefined);
}

describe('PendingGroup (cancellation)', () => {
  let caller: Caller;

  beforeEach(() => {
    caller = new Caller({ name: 'group-cancellation-test' });
  });

  afterEach(() => stopped(caller));

  describe('modes', () => {
    it.each([1, 2] as PendingGroupMode[])('mode %i should not cancel the group when a member fulfils', async (mode) => {
      let slow!: Pending<string>;
      const group = caller.createPendingGroup({ mode });
      const result = group.run(() => {
        caller.callSoon(() => 'quick');
        slow = caller.callLater(20, () => 'slow');
        return 'body';
      });
      expect(await outcomeOf(result)).toEqual({ value: 'body' });
      expect(group.cancelled).toBe(false);
      expect(slow.state).toBe('fulfilled');
    });

    it('mode 1 should end cancelled with the reason, after a member fails and was counted as an error', async () => {
      const group = caller.createPendingGroup({ mode: 1 });
      let slow!: Pending<string>;
      const error = await rejectionOf(
        group.run(() => {
          slow = caller.callLater(1000, () => 'slow');
          caller.callSoon(() => Promise.reject(new Error('one')));
        }),
      );
      expect(error).toEqual(new PendingGroupError([new Error('one')]));
      expect(await rejectionOf(slow)).toEqual(new PendingCancelled(['a member failed: Error: one']));
    });
  });

  describe('shield', () => {
    it('should not be shielded by default: the call it is made in cancels it', async () => {
      let group!: PendingGroup;
      let member!: Pending<string>;
      const call = caller.callSoon(async () => {
        group = new PendingGroup();
        group.run(() => {
          member = caller.callLater(1000, () => 'member');
        });
        await untilAborted(Caller.currentPending()!.signal);
      });
      await within(caller.callSoon(() => undefined));
      call.cancel('outer stop');
      expect(group.cancelled).toBe(true);
      expect(await rejectionOf(member)).toEqual(new PendingCancelled(['the pending it was made in was cancelled']));
      await rejectionOf(call);
    });

    it('should be cancelled at once when made inside a pending already cancelling', () => {
      const outer = new Pending<void>();
      outer.setCanceller(() => undefined);
      outer.cancel('outer stop');
      const group = runInFrame({ caller, pending: outer }, () => new PendingGroup(), undefined);
      expect(group.cancelled).toBe(true);
      expect(String(group)).toBe('<PendingGroup idle cancelled mode=0 0 members>');
      const member = new Pending<string>();
      group.add(member);
      expect(thrownBy(() => member.result())).toEqual(new PendingCancelled(['the pending it was made in was cancelled']));
    });

    it('should pass a shielded group failure on to the group it was made in', async () => {
      const outer = caller.createPendingGroup();
      const error = await rejectionOf(
        outer.run(() => {
          new PendingGroup({ shield: true }).run(() => {
            throw new Error('inner');
          });
        }),
      );
      expect(error).toEqual(new PendingGroupError([new Error('inner')]));
    });

    it('should pass a shielded group cancellation on to the group it was made in (which mode 1 takes as cancelling it)', async () => {
      const outer = caller.createPendingGroup({ mode: 1 });
      let inner!: PendingGroup;
      const error = await rejectionOf(
        outer.run(() => {
          inner = new PendingGroup({ shield: true, mode: 1 });
          inner.run(() => caller.callLater(1000, () => 'slow'));
          inner.cancel('inner stop');
        }),
      );
      expect(error).toEqual(new PendingCancelled(['a member was cancelled']));
      expect(inner.pending.state).toBe('cancelled');
    });

    it('should pass a shielded group value on, and the outer group waits for it', async () => {
      const outer = caller.createPendingGroup({ mode: 1 });
      let inner!: PendingGroup;
      const value = await within(
        outer.run(() => {
          inner = new PendingGroup({ shield: true });
          inner.run(() => caller.callLater(10, () => 'slow'));
          return 'outer';
        }),
      );
      expect(value).toBe('outer');
      expect(inner.pending.state).toBe('fulfilled');
      expect(outer.cancelled).toBe(false);
    });
  });

  describe('cancel()', () => {
    it('should return true when cancelling, and say whether a closed group was cancelled', async () => {
      const group = new PendingGroup();
      await within(group.run(() => 'body'));
      expect(group.cancel('late')).toBe(false);
      expect(group.cancelled).toBe(false);
      const cancelledGroup = new PendingGroup();
      expect(cancelledGroup.cancel('stop')).toBe(true);
      expect(cancelledGroup.cancel('again')).toBe(true);
      await within(cancelledGroup.run(() => 'body'));
      expect(cancelledGroup.cancel('late')).toBe(true);
    });

    it('should abort the signal of a body run after cancel(), with every reason', async () => {
      const group = new PendingGroup({ mode: 1 });
      group.cancel('early');
      group.cancel('again');
      let aborted: boolean | undefined;
      let reason: unknown;
      const error = await rejectionOf(
        group.run(() => {
          const signal = Caller.currentPending()!.signal;
          aborted = signal.aborted;
          reason = signal.reason;
        }),
      );
      expect(aborted).toBe(true);
      expect(reason).toEqual(new PendingCancelled(['early; again']));
      expect(error).toEqual(new PendingCancelled(['early', 'again']));
    });

    it('should count a body run after cancel() that ignores it as cancelled after the grace period', async () => {
      const group = groupMadeBy(new GracefulCaller(), { mode: 0 });
      group.cancel('early');
      const result = group.run(() => new Promise(() => undefined));
      expect(await outcomeOf(result)).toEqual({ value: undefined });
    });

    it('should cancel a member added to a cancelled group with every reason', () => {
      const group = new PendingGroup();
      group.cancel('one');
      group.cancel('two');
      const member = new Pending<string>();
      group.add(member);
      expect(member.state).toBe('cancelled');
      expect(thrownBy(() => member.result())).toEqual(new PendingCancelled(['one; two']));
    });

    it('should cancel a pending refused by a closed group with the reason', () => {
      const group = new PendingGroup();
      group.run(() => undefined);
      const late = new Pending<string>();
      thrownBy(() => group.add(late));
      expect(thrownBy(() => late.result())).toEqual(new PendingCancelled(['its pending group had closed']));
    });

    it('should cancel the members with the reason when the body fails', async () => {
      let slow!: Pending<string>;
      await rejectionOf(
        caller.createPendingGroup().run(() => {
          slow = caller.callLater(1000, () => 'slow');
          return Promise.reject(new TypeError('body'));
        }),
      );
      expect(await rejectionOf(slow)).toEqual(new PendingCancelled(['the body failed: TypeError: body']));
    });

    it('should describe a non-Error failure in the reason', async () => {
      let slow!: Pending<string>;
      await rejectionOf(
        caller.createPendingGroup().run(() => {
          slow = caller.callLater(1000, () => 'slow');
          caller.callSoon(() => Promise.reject('plain'));
        }),
      );
      expect(await rejectionOf(slow)).toEqual(new PendingCancelled(['a member failed: plain']));
    });
  });

  describe('grace period (virtual time)', () => {
    /** The frame at which a mode-1 group whose body ignores a cancel at frame 5 rejects. */
    function rejectsAt(makeGroup: () => PendingGroup, marble: string): void {
      createTestScheduler().run(({ expectObservable }) => {
        const group = makeGroup();
        group.run(() => new Promise(() => undefined));
        asyncScheduler.schedule(() => group.cancel('stop'), 5);
        expectObservable(group.pending).toBe(marble, undefined, new PendingCancelled(['stop']));
      });
    }

    it('should last 1000 ms for a group made outside any caller', () => {
      rejectsAt(() => new PendingGroup({ mode: 1 }), '1005ms #');
    });

    it("should last the making caller's CANCEL_GRACE", () => {
      rejectsAt(() => groupMadeBy(new GracefulCaller(), { mode: 1 }), '35ms #');
    });

    it('should be 0 ms when CANCEL_GRACE is 0', () => {
      class Impatient {
        static CANCEL_GRACE = 0;
      }
      rejectsAt(() => groupMadeBy(new Impatient(), { mode: 1 }), '5ms #');
    });

    it('should fall back to 1000 ms when CANCEL_GRACE is not a number >= 0', () => {
      class Odd {
        static CANCEL_GRACE = -1;
      }
      class Stringy {
        static CANCEL_GRACE = '5';
      }
      rejectsAt(() => groupMadeBy(new Odd(), { mode: 1 }), '1005ms #');
      rejectsAt(() => groupMadeBy(new Stringy(), { mode: 1 }), '1005ms #');
    });

    it('should end quietly with no value in mode 0 once the grace period is over', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const group = new PendingGroup({ mode: 0 });
        group.run(() => new Promise((resolve) => asyncScheduler.schedule(() => resolve('late'), 2000)));
        asyncScheduler.schedule(() => group.cancel('stop'), 5);
        expectObservable(group.pending).toBe('1005ms (v|)', { v: undefined });
      });
    });

    it('should keep counting the body as cancelled when it ends after the grace period while a member still runs', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const group = new PendingGroup({ mode: 0 });
        // A member that ignores cancellation keeps the group open past the body's late end.
        const member = new Pending<string>();
        member.setCanceller(() => undefined);
        group.add(member);
        // A thenable, not a promise: it answers in virtual time (a promise's reaction would run after run()).
        const late = { then: (onValue: (value: string) => void) => void asyncScheduler.schedule(() => onValue('late'), 2000) };
        group.run(() => late as unknown as PromiseLike<string>);
        asyncScheduler.schedule(() => group.cancel('stop'), 5);
        asyncScheduler.schedule(() => member.setResult('member'), 3000);
        expectObservable(group.pending).toBe('3000ms (v|)', { v: undefined });
      });
    });

    it('should stop the timeout once cancelled and time only the grace period', () => {
      rejectsAt(() => groupMadeBy(new GracefulCaller(), { mode: 1, timeout: 20 }), '35ms #');
    });
  });

  describe('await using', () => {
    it('should wait for a body that still runs, keeping its value', async () => {
      const gate = deferred();
      const group = new PendingGroup();
      const result = group.run(async () => {
        await gate.promise;
        return 'body';
      });
      let disposed = false;
      const disposal = group[asyncDisposeSymbol]().then(() => (disposed = true));
      await within(caller.callLater(5, () => undefined));
      expect(disposed).toBe(false);
      gate.resolve();
      await within(disposal);
      expect(await within(result)).toBe('body');
    });
  });

  describe('options', () => {
    it('should refuse a scheduler that is not a SchedulerLike, naming the option', () => {
      expect(thrownBy(() => new PendingGroup({ scheduler: {} as never }))).toEqual(new TypeError('Expected `options.scheduler` to be an RxJS SchedulerLike, got `[object Object]` (object)'));
      expect(thrownBy(() => new PendingGroup({ scheduler: null as never }))).toEqual(new TypeError('Expected `options.scheduler` to be an RxJS SchedulerLike, got `null` (null)'));
      expect(thrownBy(() => new PendingGroup({ scheduler: 'async' as never }))).toBeInstanceOf(TypeError);
    });

    it('should refuse a bad shield, add() of a non-Pending and cancel() with a non-string, naming the argument', () => {
      expect(thrownBy(() => new PendingGroup({ shield: 'yes' as never }))).toEqual(new TypeError('Expected `options.shield` to be a boolean, got `"yes"` (string)'));
      expect(thrownBy(() => new PendingGroup().add(Promise.resolve() as never))).toEqual(new TypeError('Expected `pending` to be a Pending, got `[object Promise]` (object)'));
      expect(thrownBy(() => new PendingGroup().cancel(5 as never))).toEqual(new TypeError('Expected `reason` to be a string, got `5` (number)'));
    });

    it('should accept a scheduler given as an object, and time the timeout on it', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const group = new PendingGroup({ mode: 3, timeout: 7, scheduler: asyncScheduler });
        group.run(() => group.add(new Pending()));
        expectObservable(group.pending).toBe('7ms #', undefined, new PendingCancelled(['timed out after 7 ms']));
      });
    });
  });
});

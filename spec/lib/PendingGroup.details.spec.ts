/**
 * More PendingGroup behaviours the mutation run of lib/PendingGroup.ts showed unpinned (see
 * CONTRIBUTING.md): repeated and empty cancel reasons, the grace period started once, a cancelled group
 * that never runs, the group's pending cancelled from outside in modes 1 and 3, what a body may return,
 * shielded groups made outside a group, the outer signal's listener, and bounded wait-for edges.
 */
import { asyncScheduler } from 'rxjs';
import { DeadlockError, PendingCancelled, PendingGroupError } from '../../lib/errors.js';
import { runInFrame } from '../../lib/internal/context.js';
import { Pending } from '../../lib/Pending.js';
import { PendingGroup } from '../../lib/PendingGroup.js';
import { rejectionOf, thrownBy } from '../helpers/outcomes.js';
import { createTestScheduler } from '../helpers/testScheduler.js';
import { outcomeOf, within } from '../helpers/within.js';

describe('PendingGroup (details)', () => {
  describe('cancel()', () => {
    it('should leave empty reasons out of its PendingCancelled', async () => {
      const group = new PendingGroup({ mode: 1 });
      group.cancel();
      group.cancel('stop');
      const error = await rejectionOf(group.run(() => undefined));
      expect(error).toEqual(new PendingCancelled(['stop']));
      expect((error as PendingCancelled).reasons).toEqual(['stop']);
      const quiet = new PendingGroup({ mode: 3 });
      quiet.cancel();
      expect(((await rejectionOf(quiet.run(() => undefined))) as PendingCancelled).reasons).toEqual([]);
    });

    it('should start the grace period once, at the first cancel (virtual time)', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const group = new PendingGroup({ mode: 1 });
        group.run(() => new Promise(() => undefined));
        asyncScheduler.schedule(() => group.cancel('one'), 5);
        asyncScheduler.schedule(() => group.cancel('two'), 20);
        expectObservable(group.pending).toBe('1005ms #', undefined, new PendingCancelled(['one', 'two']));
      });
    });

    it('should never settle a cancelled group that is never run or disposed (virtual time)', () => {
      createTestScheduler().run(({ expectObservable }) => {
        const group = new PendingGroup({ mode: 1 });
        group.cancel('stop');
        expectObservable(group.pending, '^ 3000ms !').toBe('');
      });
    });

    it('should not add its own reason when a member fails after it was cancelled', () => {
      const group = new PendingGroup();
      group.cancel('stop');
      // A member that had already failed when added: its failure is counted, the group already cancelled.
      const failed = new Pending<number>();
      failed.setException(new Error('late'));
      group.add(failed);
      const later = new Pending<number>();
      group.add(later);
      expect(thrownBy(() => later.result())).toEqual(new PendingCancelled(['stop']));
    });

    it.each([1, 3] as const)('mode %i should end cancelled when its own pending is cancelled from outside', async (mode) => {
      const group = new PendingGroup({ mode });
      const member = new Pending<number>();
      const result = group.run(() => group.add(member));
      result.cancel('from outside');
      expect(await rejectionOf(result)).toEqual(new PendingCancelled(['from outside']));
      expect(member.state).toBe('cancelled');
    });

    it('should reject with what a cancelled body throws when it is not an Error (null included)', async () => {
      const group = new PendingGroup();
      group.cancel('stop');
      expect(await outcomeOf(group.run(() => Promise.reject(null)))).toEqual({ error: null });
    });
  });

  describe('run()', () => {
    it('should take a plain object, a function and null returned by the body as its value', async () => {
      const object = { then: 'not a function' };
      const fn = () => 'fn';
      expect(await within(new PendingGroup().run(() => object))).toBe(object);
      expect(await within(new PendingGroup().run(() => fn))).toBe(fn);
      expect(await within(new PendingGroup().run(() => null))).toBeNull();
    });

    it('should await a thenable the body returns', async () => {
      const thenable = { then: (resolve: (v: string) => void) => resolve('thenable') };
      // Read with result(): awaiting the group's pending would itself adopt a thenable value.
      const settledValue = async (p: Pending<unknown>) => {
        await within(new Promise((resolve) => p.addDoneCallback(resolve)));
        return p.result();
      };
      expect(await settledValue(new PendingGroup().run(() => thenable as unknown as PromiseLike<string>))).toBe('thenable');
    });

    it('should await a function that is a thenable (Promises/A+ 2.3.3) the body returns', async () => {
      const callableThenable = Object.assign(() => 'not called', { then: (resolve: (v: string) => void) => resolve('callable thenable') });
      const group = new PendingGroup().run(() => callableThenable as unknown as PromiseLike<string>);
      // Neither awaited nor returned from an async function: either would adopt a thenable value itself.
      await within(new Promise<void>((resolve) => group.addDoneCallback(() => resolve())));
      expect(group.result()).toBe('callable thenable');
    });

    it('should describe itself while closing', async () => {
      const group = new PendingGroup();
      const member = new Pending<number>();
      const result = group.run(() => group.add(member));
      expect(String(group)).toBe('<PendingGroup closing mode=0 1 member>');
      member.setResult(1);
      await within(result);
      expect(String(group)).toBe('<PendingGroup closed mode=0 0 members>');
    });

    it("should name itself in its pending's metadata", () => {
      const group = new PendingGroup();
      expect(group.pending.metadata).toEqual({ group });
    });
  });

  describe('options', () => {
    it('should name `options` and `options.timeout` in its errors', () => {
      expect(thrownBy(() => new PendingGroup(5 as never))).toEqual(new TypeError('Expected `options` to be an options object or undefined, got `5` (number)'));
      expect(thrownBy(() => new PendingGroup({ timeout: -5 }))).toEqual(new RangeError('Expected `options.timeout` to be a number >= 0, got `-5` (number)'));
    });

    it('should refuse a function with a schedule method as scheduler', () => {
      const fn = Object.assign(() => undefined, { schedule: () => undefined, now: () => 0 });
      expect(thrownBy(() => new PendingGroup({ scheduler: fn as never }))).toBeInstanceOf(TypeError);
    });

    it('should make a shielded group outside any call, and in a frame with no pending', async () => {
      expect(await within(new PendingGroup({ shield: true }).run(() => 'top'))).toBe('top');
      const inFrame = runInFrame({ caller: {}, pending: undefined }, () => new PendingGroup({ shield: true }), undefined);
      expect(await within(inFrame.run(() => 'frame'))).toBe('frame');
    });
  });

  describe('the pending it was made in', () => {
    it('should listen to its signal once, and stop listening when the group closes', async () => {
      const outer = new Pending<void>();
      const signal = outer.signal;
      const add = jest.spyOn(signal, 'addEventListener');
      const remove = jest.spyOn(signal, 'removeEventListener');
      const group = runInFrame({ caller: {}, pending: outer }, () => new PendingGroup(), undefined);
      expect(add.mock.calls).toEqual([['abort', expect.any(Function), { once: true }]]);
      await within(group.run(() => 'done'));
      expect(remove.mock.calls).toEqual([['abort', add.mock.calls[0]![1]]]);
      outer.cancel('late');
      expect(group.cancelled).toBe(false);
    });
  });

  describe('wait-for edges', () => {
    it('should keep them bounded as members come and go, and still see a deadlock through the body', async () => {
      const group = new PendingGroup();
      let edgesSeen = 0;
      const error = await rejectionOf(
        group.run(async () => {
          for (let i = 0; i < 300; i++) {
            const member = new Pending<number>();
            group.add(member);
            member.setResult(i);
            edgesSeen = Math.max(edgesSeen, (group.pending._awaiting as Pending<unknown>[]).length);
          }
          await group.pending;
        }),
      );
      expect(error).toBeInstanceOf(DeadlockError);
      expect(edgesSeen).toBeLessThanOrEqual(64);
    });

    it('should rebuild them only once most are dead: adding to a group of live members keeps the same list (amortised O(1))', async () => {
      const group = new PendingGroup();
      const members = Array.from({ length: 200 }, () => new Pending<number>());
      await within(
        group.run(() => {
          group.add(members[0]!);
          const edges = group.pending._awaiting;
          // 200 live members: never more than twice as many edges as members, so no rebuild is due.
          for (const member of members.slice(1)) group.add(member);
          expect(group.pending._awaiting).toBe(edges);
          expect((edges as Pending<unknown>[]).length).toBe(201);
          for (const member of members) member.setResult(1);
        }),
      );
    });

    it('should rebuild them from the live members alone in a group that has no body (add() and await using)', async () => {
      const group = new PendingGroup();
      for (let i = 0; i < 100; i++) {
        const member = new Pending<number>();
        group.add(member);
        member.setResult(i);
      }
      const live = new Pending<number>();
      group.add(live);
      const edges = group.pending._awaiting as Pending<unknown>[];
      expect(edges.length).toBeLessThan(64);
      expect(edges.every((edge) => edge instanceof Pending)).toBe(true);
      live.setResult(100);
      await within(group[Symbol.asyncDispose]());
    });

    it('should not rebuild a short list, however many of its members are dead (fewer than 64 edges)', async () => {
      const group = new PendingGroup();
      await within(
        group.run(() => {
          const first = new Pending<number>();
          group.add(first);
          const edges = group.pending._awaiting;
          for (let i = 0; i < 20; i++) {
            const member = new Pending<number>();
            group.add(member);
            member.setResult(i);
          }
          expect(group.pending._awaiting).toBe(edges);
          first.setResult(0);
        }),
      );
    });

    it('should still see a deadlock through a member that outlived many others', async () => {
      const group = new PendingGroup();
      const waiter = new Pending<void>();
      const error = await rejectionOf(
        group.run(() => {
          group.add(waiter);
          for (let i = 0; i < 300; i++) {
            const member = new Pending<number>();
            group.add(member);
            member.setResult(i);
          }
          // The long-lived member's work now waits for the group: a cycle.
          runInFrame({ caller: {}, pending: waiter }, () => {
            group.pending.then(undefined, (e: unknown) => waiter.setException(e));
          }, undefined);
        }),
      );
      expect(error).toBeInstanceOf(PendingGroupError);
      expect((error as PendingGroupError).errors[0]).toBeInstanceOf(DeadlockError);
    });
  });
});

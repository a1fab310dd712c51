import { from, lastValueFrom, of } from 'rxjs';
import { DeadlockError, PendingCancelled } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import type { Awaitable } from '../../lib/types.js';
import { gather } from '../../operators/gather.js';
import { Caller } from '../../schedulers/Caller.js';
import { takeReports } from '../helpers/reports.js';
import { ConcurrencyProbe, rejectionOf, stopped, thrownBy } from './helpers.js';
import { within } from '../helpers/within.js';

describe('gather', () => {
  describe('operator', () => {
    it('should gather Promise members in source order', async () => {
      const slow = new Promise<string>((resolve) => setTimeout(() => resolve('slow'), 5));
      const result = await lastValueFrom(from<Awaitable<string>[]>([slow, Promise.resolve('fast')]).pipe(gather()));
      expect(result).toEqual(['slow', 'fast']);
    });

    it('should error with a rejected Promise member', async () => {
      const error = await rejectionOf(lastValueFrom(of(Promise.resolve(1), Promise.reject(new Error('no'))).pipe(gather())));
      expect(error).toEqual(new Error('no'));
    });

    it('should put a rejected Promise member in place with returnExceptions', async () => {
      const result = await lastValueFrom(of(Promise.resolve(1), Promise.reject(new Error('no'))).pipe(gather({ returnExceptions: true })));
      expect(result).toEqual([1, new Error('no')]);
    });

    it('should check its options when made', () => {
      expect(thrownBy(() => gather({ concurrency: 0 }))).toEqual(new RangeError('Expected `options.concurrency` to be a whole number >= 1 (or Infinity), got `0` (number)'));
      expect(thrownBy(() => gather({ concurrency: 1.5 }))).toBeInstanceOf(RangeError);
      expect(thrownBy(() => gather({ returnExceptions: 'yes' as unknown as boolean }))).toEqual(
        new TypeError('Expected `options.returnExceptions` to be a boolean, got `"yes"` (string)'),
      );
      expect(thrownBy(() => gather(42 as unknown as undefined))).toBeInstanceOf(TypeError);
    });
  });

  describe('Caller.gather', () => {
    let caller: Caller;

    beforeEach(() => {
      caller = new Caller({ name: 'gather-test' });
    });

    afterEach(() => stopped(caller));

    it('should gather calls, thunks, Observables and Promises in order', async () => {
      const result = await caller.gather<unknown>([
        caller.callLater(3, () => 'later'),
        () => caller.callSoon(() => 'thunk'),
        of('observable'),
        Promise.resolve('promise'),
      ]);
      expect(result).toEqual(['later', 'thunk', 'observable', 'promise']);
    });

    it('should gather a literal mix of kinds position by position', async () => {
      const [n, s, b] = await caller.gather([caller.callSoon(() => 1), Promise.resolve('a'), () => of(true)]);
      expect([n, s, b]).toEqual([1, 'a', true]);
      expect([n + 1, s.toUpperCase(), !b]).toEqual([2, 'A', false]);
    });

    it('should give [] for no items', async () => {
      expect(await caller.gather([])).toEqual([]);
    });

    it('should reject with the first failure and cancel the calls it alone observes', async () => {
      const slow = caller.callLater(50, () => 'slow');
      const error = await rejectionOf(caller.gather([slow, caller.callSoon(() => Promise.reject(new Error('failed')))]));
      expect(error).toEqual(new Error('failed'));
      expect(slow.state).toBe('cancelled');
      expect(await takeReports()).toEqual([]);
    });

    it('should not cancel a call someone else also subscribes to', async () => {
      const shared = caller.callLater(5, () => 'shared');
      const values: string[] = [];
      shared.subscribe((v) => values.push(v));
      await rejectionOf(caller.gather([shared, caller.callSoon(() => Promise.reject(new Error('failed')))]));
      expect(await within(shared)).toBe('shared');
      expect(values).toEqual(['shared']);
    });

    it('should cancel the unfinished calls when its pending is cancelled', async () => {
      const slow = caller.callLater(50, () => 'slow');
      const gathered = caller.gather([slow]);
      gathered.cancel('no longer needed');
      expect(await rejectionOf(gathered)).toEqual(new PendingCancelled(['no longer needed']));
      expect(slow.state).toBe('cancelled');
    });

    it('should never run more than `concurrency` thunks at once, and run them all', async () => {
      const probe = new ConcurrencyProbe();
      const items = Array.from({ length: 12 }, (_, i) => probe.task(caller, i));
      const result = await caller.gather(items, { concurrency: 3 });
      expect(result).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(probe.peak).toBe(3);
      expect(probe.started).toBe(12);
    });

    it('should never start a queued thunk after a failure', async () => {
      const probe = new ConcurrencyProbe();
      const failing = () => caller.callSoon(() => Promise.reject(new Error('failed')));
      const items = [failing, ...Array.from({ length: 5 }, (_, i) => probe.task(caller, i))];
      expect(await rejectionOf(caller.gather(items, { concurrency: 1 }))).toEqual(new Error('failed'));
      expect(await takeReports()).toEqual([]);
      expect(probe.started).toBe(0);
    });

    it('should pull a generator of thunks under the concurrency bound', async () => {
      const probe = new ConcurrencyProbe();
      function* tasks() {
        for (let i = 0; i < 6; i++) yield probe.task(caller, i);
      }
      expect(await caller.gather(tasks(), { concurrency: 2 })).toEqual([0, 1, 2, 3, 4, 5]);
      expect(probe.peak).toBe(2);
    });

    it('should reject with DeadlockError when a call gathers its own pending', async () => {
      const call = caller.callSoon(() => caller.gather([Caller.currentPending()!]));
      expect(await rejectionOf(call)).toBeInstanceOf(DeadlockError);
    });

    it('should reject with DeadlockError when gathering closes a cycle of calls waiting on each other', async () => {
      let b!: Pending<unknown>;
      const a = caller.callSoon(async () => {
        await b;
      });
      b = caller.callSoon(() => caller.gather([a]));
      expect(await rejectionOf(b)).toBeInstanceOf(DeadlockError);
      expect(await rejectionOf(a)).toBeInstanceOf(DeadlockError);
    });

    it('should not report a sibling that fails after the gather rejected', async () => {
      const sibling = new Pending<string>({ protect: true });
      const gathered = caller.gather([caller.callSoon(() => Promise.reject(new Error('first'))), sibling]);
      expect(await rejectionOf(gathered)).toEqual(new Error('first'));
      sibling.setException(new Error('second'));
      expect(await takeReports()).toEqual([]);
    });

    it('should report a failed gather nobody observes', async () => {
      const gathered = caller.gather([caller.callSoon(() => Promise.reject(new Error('lost')))]);
      const reports = await takeReports();
      expect(reports.map((r) => [r.kind, r.pending === gathered])).toEqual([['unobserved', true]]);
    });

    it('should check its arguments', () => {
      expect(thrownBy(() => caller.gather(5 as unknown as []))).toEqual(
        new TypeError('Expected `items` to be an iterable of Pendings, ObservableInputs or functions returning one, got `5` (number)'),
      );
      expect(thrownBy(() => caller.gather([], { concurrency: -1 }))).toBeInstanceOf(RangeError);
    });

    it('should gather a lazily made iterable with from() semantics', async () => {
      expect(await caller.gather(new Set([of(1), of(2)]))).toEqual([1, 2]);
      expect(await lastValueFrom(from([of(1)]).pipe(gather()))).toEqual([1]);
    });
  });
});

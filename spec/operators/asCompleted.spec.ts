import { from, lastValueFrom, map, of, toArray, type Observable } from 'rxjs';
import { DeadlockError, PendingCancelled } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import type { Awaitable, Settled } from '../../lib/types.js';
import { asCompleted } from '../../operators/asCompleted.js';
import { Caller } from '../../schedulers/Caller.js';
import { takeReports } from '../helpers/reports.js';
import { ConcurrencyProbe, rejectionOf, stopped, thrownBy } from './helpers.js';
import { within } from '../helpers/within.js';

describe('asCompleted', () => {
  describe('operator', () => {
    it('should emit Promise members in the order they settle, failures included', async () => {
      const slow = new Promise<string>((resolve) => setTimeout(() => resolve('slow'), 5));
      const failed = Promise.reject(new Error('failed'));
      const outcomes = await lastValueFrom(
        from<Awaitable<string>[]>([slow, failed, Promise.resolve('fast')]).pipe(
          asCompleted(),
          map((p) => (p.state === 'fulfilled' ? p.result() : (p.exception() as Error).message)),
          toArray(),
        ),
      );
      expect(outcomes).toEqual(['failed', 'fast', 'slow']);
    });

    it('should check its options when made', () => {
      expect(thrownBy(() => asCompleted({ maxConcurrent: 0 }))).toEqual(
        new RangeError('Expected `options.maxConcurrent` to be a whole number >= 1 (or Infinity), got `0` (number)'),
      );
      expect(thrownBy(() => asCompleted({ cancelUnfinished: 1 as unknown as boolean }))).toBeInstanceOf(TypeError);
    });
  });

  describe('Caller.asCompleted', () => {
    let caller: Caller;

    beforeEach(() => {
      caller = new Caller({ name: 'as-completed-test' });
    });

    afterEach(() => stopped(caller));

    it('should yield each call as it settles', async () => {
      const order: string[] = [];
      for await (const item of caller.asCompleted([caller.callLater(20, () => 'slow'), caller.callLater(1, () => 'fast'), caller.callSoon(() => 'soon')])) {
        const p = item.pending;
        expect(p.done).toBe(true);
        order.push(p.result());
      }
      expect(order).toEqual(['soon', 'fast', 'slow']);
    });

    it('should yield a record per member: fulfilled with its value, rejected with its error or PendingCancelled', async () => {
      const cancelled = caller.callLater(1000, (): string => 'never');
      const failing = caller.callSoon((): string => {
        throw new RangeError('failed');
      });
      const fine = caller.callLater(1, () => 'fine');
      cancelled.cancel('not needed');
      const records: Settled<string>[] = [];
      for await (const record of caller.asCompleted([cancelled, failing, fine])) records.push(record);
      expect(records.map(({ pending, ...rest }) => [rest, pending])).toEqual([
        [{ status: 'rejected', reason: new PendingCancelled(['not needed']) }, cancelled],
        [{ status: 'rejected', reason: new RangeError('failed') }, failing],
        [{ status: 'fulfilled', value: 'fine' }, fine],
      ]);
      expect((records[0] as { reason: unknown }).reason).toBeInstanceOf(PendingCancelled);
      expect(records[0]!.pending).toBeInstanceOf(Pending);
      expect(records.map((r) => typeof (r as { then?: unknown }).then)).toEqual(['undefined', 'undefined', 'undefined']);
      // A rejected record hands the error to the consumer: nothing is reported as unobserved.
      expect(await takeReports()).toEqual([]);
    });

    it('should yield a Pending item as itself and a failed call without throwing', async () => {
      const failing = caller.callSoon((): string => {
        throw new Error('failed');
      });
      const seen: Pending<string>[] = [];
      for await (const item of caller.asCompleted([failing])) seen.push(item.pending);
      expect(seen).toEqual([failing]);
      expect(seen[0]!.exception()).toEqual(new Error('failed'));
      expect(await takeReports()).toEqual([]);
    });

    it('should cancel the unfinished calls on break', async () => {
      const slow = caller.callLater(1000, () => 'slow');
      const shared = caller.callLater(1000, () => 'shared');
      shared.subscribe({ error: () => undefined });
      for await (const item of caller.asCompleted([slow, caller.callSoon(() => 'first'), shared])) {
        const p = item.pending;
        expect(p.result()).toBe('first');
        break;
      }
      expect(slow.state).toBe('cancelled');
      expect(shared.state).toBe('cancelled');
    });

    it('should leave the unfinished calls running on break with cancelUnfinished: false, and report a later unobserved failure', async () => {
      const slow = caller.callLater(5, () => 'slow');
      const failing = caller.callLater(5, (): string => {
        throw new Error('failed unobserved');
      });
      for await (const item of caller.asCompleted([slow, failing, caller.callSoon(() => 'first')], { cancelUnfinished: false })) {
        const p = item.pending;
        expect(p.result()).toBe('first');
        break;
      }
      expect(await within(slow)).toBe('slow');
      const reports = await takeReports();
      expect(reports.map((r) => [r.kind, r.pending === failing, (r.error as Error).message])).toEqual([['unobserved', true, 'failed unobserved']]);
    });

    it('should pull a generator lazily, never making more than maxConcurrent calls out at once', async () => {
      const probe = new ConcurrencyProbe();
      let pulled = 0;
      function* calls() {
        for (let i = 0; i < 10; i++) {
          pulled++;
          yield probe.task(caller, i)();
        }
      }
      const iterator = caller.asCompleted(calls(), { maxConcurrent: 3 });
      expect(pulled).toBe(0);
      const values: number[] = [];
      for await (const item of iterator) values.push(item.pending.result());
      expect(values.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(probe.peak).toBe(3);
      expect(pulled).toBe(10);
    });

    it('should pull an async generator of thunks under maxConcurrent', async () => {
      const probe = new ConcurrencyProbe();
      async function* thunks() {
        for (let i = 0; i < 8; i++) {
          await Promise.resolve();
          yield probe.task(caller, i);
        }
      }
      const values: number[] = [];
      for await (const item of caller.asCompleted(thunks(), { maxConcurrent: 2 })) values.push(item.pending.result());
      expect(values.sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(probe.peak).toBe(2);
    });

    it('should count a member as out until the consumer takes it', async () => {
      let pulled = 0;
      function* items() {
        for (let i = 0; i < 5; i++) {
          pulled++;
          yield of(i);
        }
      }
      const iterator = caller.asCompleted(items(), { maxConcurrent: 2 });
      const first = await iterator.next();
      expect(first.value!.pending.result()).toBe(0);
      // Two were out (0 and 1); taking 0 freed one slot, so 2 was pulled, nothing more.
      expect(pulled).toBe(3);
      await iterator.return!();
    });

    it('should close the generator on break', async () => {
      let closed = false;
      function* items() {
        try {
          for (let i = 0; ; i++) yield of(i);
        } finally {
          closed = true;
        }
      }
      for await (const item of caller.asCompleted(items(), { maxConcurrent: 1 })) {
        const p = item.pending;
        if (p.result() === 2) break;
      }
      expect(closed).toBe(true);
    });

    it('should end the iteration with the error a generator throws, after the settled members, cancelling the rest', async () => {
      const slow = caller.callLater(1000, () => 'slow');
      function* items(): Generator<Awaitable<string>> {
        yield of('settled');
        yield slow;
        throw new Error('generator failed');
      }
      const values: string[] = [];
      const error = await rejectionOf(
        (async () => {
          for await (const item of caller.asCompleted(items())) values.push(item.pending.result());
        })(),
      );
      expect(error).toEqual(new Error('generator failed'));
      expect(values).toEqual(['settled']);
      expect(slow.state).toBe('cancelled');
    });

    it('should end the iteration with the error an async generator throws', async () => {
      async function* items(): AsyncGenerator<() => Observable<number>> {
        yield () => of(1);
        await Promise.resolve();
        throw new Error('async generator failed');
      }
      const values: number[] = [];
      const error = await rejectionOf(
        (async () => {
          for await (const item of caller.asCompleted(items())) values.push(item.pending.result());
        })(),
      );
      expect(error).toEqual(new Error('async generator failed'));
      expect(values).toEqual([1]);
    });

    it('should end the iteration with the error a generator throws before yielding anything', async () => {
      // eslint-disable-next-line require-yield
      function* items(): Generator<Awaitable<number>> {
        throw new Error('at once');
      }
      const iterator = caller.asCompleted(items());
      expect(await rejectionOf(iterator.next())).toEqual(new Error('at once'));
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
    });

    it('should throw DeadlockError when a call iterates over its own pending', async () => {
      const call = caller.callSoon(async () => {
        const other = caller.callLater(1000, () => 'other');
        try {
          for await (const item of caller.asCompleted([other, Caller.currentPending()!])) item.pending.result();
        } finally {
          expect(other.state).toBe('cancelled');
        }
      });
      expect(await rejectionOf(call)).toBeInstanceOf(DeadlockError);
    });

    it('should make nothing before the first next()', async () => {
      let pulled = 0;
      function* items() {
        pulled++;
        yield of(1);
      }
      const iterator = caller.asCompleted(items());
      await Promise.resolve();
      expect(pulled).toBe(0);
      expect((await iterator.next()).value!.pending.result()).toBe(1);
      expect(await iterator.next()).toEqual({ done: true, value: undefined });
    });

    it('should check its arguments', () => {
      expect(thrownBy(() => caller.asCompleted(null as unknown as []))).toEqual(
        new TypeError('Expected `items` to be an iterable or async iterable of Pendings, ObservableInputs or functions returning one, got `null` (null)'),
      );
      expect(thrownBy(() => caller.asCompleted([], { maxConcurrent: NaN }))).toBeInstanceOf(RangeError);
    });
  });
});

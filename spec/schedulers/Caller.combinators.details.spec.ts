/**
 * Caller's combinator methods (schedulers/internal/combinators.ts) in the corners mutation testing showed
 * no other test pinned: argument errors, an asCompleted iterator ended before it started or by the
 * operator's own error, and how it pulls its input (never two async pulls at once, no nesting).
 */
import { DeadlockError } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import { Caller } from '../../schedulers/Caller.js';
import { flushMicrotasks, stopAllCallers, thrownBy } from '../helpers/callers.js';
import { takeReports } from '../helpers/reports.js';
import { within, SLOW_TEST_MS } from '../helpers/within.js';

const DONE = { done: true, value: undefined };

async function* asyncItems(): AsyncGenerator<() => Pending<number>> {
  yield () => new Pending<number>();
}

describe('Caller combinators (details)', () => {
  let caller: Caller;
  beforeEach(() => {
    caller = new Caller({ name: 'combinators' });
  });
  afterEach(stopAllCallers);

  describe('argument errors', () => {
    const notIterable = (got: string, async = false) =>
      new TypeError(`Expected \`items\` to be an iterable${async ? ' or async iterable' : ''} of Pendings, ObservableInputs or functions returning one, got ${got}`);

    it('should refuse, naming `items`, what is not an iterable, an async iterable where only gather and wait are, and a string', () => {
      expect(thrownBy(() => caller.wait(5 as never))).toEqual(notIterable('`5` (number)'));
      expect(thrownBy(() => caller.wait(asyncItems() as never))).toEqual(notIterable('`[object AsyncGenerator]` (object)'));
      expect(thrownBy(() => caller.gather(asyncItems() as never))).toEqual(notIterable('`[object AsyncGenerator]` (object)'));
      expect(thrownBy(() => caller.gather('ab' as never))).toEqual(notIterable('`"ab"` (string)'));
      expect(thrownBy(() => caller.wait('ab' as never))).toEqual(notIterable('`"ab"` (string)'));
      expect(thrownBy(() => caller.asCompleted('ab' as never))).toEqual(notIterable('`"ab"` (string)', true));
      expect(thrownBy(() => caller.asCompleted(null as never))).toEqual(notIterable('`null` (null)', true));
    });

    it('should refuse options that are not an object, naming `options`', () => {
      const notOptions = new TypeError('Expected `options` to be an options object or undefined, got `5` (number)');
      expect(thrownBy(() => caller.wait([], 5 as never))).toEqual(notOptions);
      expect(thrownBy(() => caller.createPendingGroup(5 as never))).toEqual(notOptions);
    });
  });

  describe('asCompleted iterator', () => {
    it('should end at once on return() before the first next(), reading nothing, and stay done', async () => {
      let reads = 0;
      const items: Iterable<Pending<number>> = {
        [Symbol.iterator]: () => ({
          next: () => {
            reads++;
            return { done: false, value: new Pending<number>() };
          },
        }),
      };
      const iterator = caller.asCompleted(items);
      expect(await within(iterator.return!())).toEqual(DONE);
      expect(await within(iterator.next())).toEqual(DONE);
      expect(await within(iterator.return!())).toEqual(DONE);
      expect(await within(iterator.next())).toEqual(DONE);
      expect(reads).toBe(0);
    });

    it("should throw the operator's own error (a deadlock) from one next(), close the input, then be done", async () => {
      let closed = false;
      const call = caller.callSoon(async () => {
        function* items(): Generator<Pending<unknown>> {
          try {
            yield Caller.currentPending()!; // the call waiting on itself through the operator
            yield new Pending<number>();
          } finally {
            closed = true;
          }
        }
        const iterator = caller.asCompleted(items());
        const first = await iterator.next().then(
          () => 'no error',
          (error: unknown) => error,
        );
        return { first, second: await iterator.next() };
      });
      const { first, second } = await within(call);
      expect(first).toBeInstanceOf(DeadlockError);
      expect(second).toEqual(DONE);
      expect(closed).toBe(true);
    });

    /** A sync iterable of `values` (then done, or throwing `failure` when given) that counts its return() calls. */
    function countingItems(values: Pending<number>[], failure?: Error): Iterable<Pending<number>> & { returns: number } {
      const items = {
        returns: 0,
        [Symbol.iterator]: () => {
          let i = 0;
          return {
            next: (): IteratorResult<Pending<number>> => {
              if (i < values.length) return { done: false, value: values[i++]! };
              if (failure) throw failure;
              return { done: true, value: undefined };
            },
            return: (): IteratorResult<Pending<number>> => {
              items.returns++;
              return { done: true, value: undefined };
            },
          };
        },
      };
      return items;
    }

    it('should not close an input that ended or threw, and close one left early exactly once', async () => {
      const settled = () => {
        const p = new Pending<number>();
        p.setResult(1);
        return p;
      };
      const ended = countingItems([settled()]);
      const all = caller.asCompleted(ended);
      expect(await within(all.next())).toMatchObject({ done: false });
      expect(await within(all.next())).toEqual(DONE);
      expect(ended.returns).toBe(0);

      const failure = new Error('next threw');
      const threw = countingItems([], failure);
      await expect(within(caller.asCompleted(threw).next())).rejects.toBe(failure);
      expect(threw.returns).toBe(0);

      const left = countingItems([settled(), settled()]);
      const early = caller.asCompleted(left, { maxConcurrent: 1 });
      expect(await within(early.next())).toMatchObject({ done: false });
      await within(early.return!());
      await within(early.return!());
      expect(left.returns).toBe(1);
    });

    it('should report an async input whose return() rejects on an early stop', async () => {
      const thrown = new Error('return rejected');
      const items: AsyncIterable<() => Pending<number>> = {
        [Symbol.asyncIterator]: () => ({
          next: () => Promise.resolve({ done: false, value: () => new Pending<number>() }),
          return: () => Promise.reject(thrown),
        }),
      };
      const iterator = caller.asCompleted(items, { maxConcurrent: 1 });
      void iterator.next();
      await flushMicrotasks();
      await within(iterator.return!());
      expect((await takeReports()).map((r) => r.error)).toEqual([thrown]);
    });

    it('should never have two pulls of an async input under way at once, so maxConcurrent holds', async () => {
      const first = new Pending<number>();
      let pulled = 0;
      let openGate!: () => void;
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      // Thunks: an async generator would await a yielded Pending itself.
      async function* items(): AsyncGenerator<() => Pending<number>> {
        pulled++;
        yield () => first;
        await gate; // the second pull is under way until the gate opens
        for (;;) {
          pulled++;
          yield () => new Pending<number>();
        }
      }
      const iterator = caller.asCompleted(items(), { maxConcurrent: 2 });
      const taken = iterator.next();
      await flushMicrotasks();
      first.setResult(1); // frees a slot while the second pull is under way
      expect(await within(taken)).toMatchObject({ done: false, value: { status: 'fulfilled', value: 1 } });
      openGate();
      await flushMicrotasks(50);
      expect(pulled).toBe(3); // the first member, then two out at once
      await within(iterator.return!());
    });

    it('should pull members that settle at once in a loop, not nested, however many next() calls wait', async () => {
      const count = 20_000;
      const first = new Pending<number>();
      const settled = Array.from({ length: count }, (_, i) => {
        const p = new Pending<number>();
        p.setResult(i);
        return p;
      });
      const iterator = caller.asCompleted([first, ...settled], { maxConcurrent: 1 });
      const results = Array.from({ length: count + 1 }, () => iterator.next());
      first.setResult(-1); // each waiting next() takes a member, which frees the slot for the next
      const values = (await within(Promise.all(results))).map((r) => (r.done ? 'done' : r.value.status));
      expect(values.filter((status) => status === 'fulfilled')).toHaveLength(count + 1);
      expect(await takeReports()).toEqual([]);
      expect(await within(iterator.next())).toEqual(DONE);
    }, SLOW_TEST_MS);
  });
});

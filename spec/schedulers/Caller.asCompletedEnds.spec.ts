/**
 * How `caller.asCompleted()`'s async iterator ends when its consumer or its input misbehaves: a `return()`
 * while a `next()` waits, an async input whose `next()` throws, an input whose `return()` throws.
 */
import { Pending } from '../../lib/Pending.js';
import { Caller } from '../../schedulers/Caller.js';
import { stopAllCallers } from '../helpers/callers.js';
import { takeReports } from '../helpers/reports.js';
import { within } from '../helpers/within.js';

describe('Caller.asCompleted (how it ends)', () => {
  afterEach(stopAllCallers);

  it('should answer a next() still waiting with done when the consumer calls return()', async () => {
    const caller = new Caller();
    const never = new Pending<number>();
    const iterator = caller.asCompleted([never]);
    const waiting = iterator.next();
    expect(await within(iterator.return!())).toEqual({ done: true, value: undefined });
    expect(await within(waiting)).toEqual({ done: true, value: undefined });
    expect(never.cancelled).toBe(true);
  });

  it('should end with the error an async input throws from next() at once', async () => {
    const caller = new Caller();
    const thrown = new Error('next threw');
    const items: AsyncIterable<Pending<number>> = {
      [Symbol.asyncIterator]: () => ({
        next(): Promise<IteratorResult<Pending<number>>> {
          throw thrown;
        },
      }),
    };
    const iterator = caller.asCompleted(items);
    await expect(within(iterator.next())).rejects.toBe(thrown);
    expect(await within(iterator.next())).toEqual({ done: true, value: undefined });
  });

  it('should report an error the input throws from return() on a break, and still finish the break', async () => {
    const caller = new Caller();
    const thrown = new Error('return threw');
    const members: Pending<number>[] = [];
    const items: Iterable<Pending<number>> = {
      [Symbol.iterator]: () => ({
        next: () => {
          const member = new Pending<number>();
          members.push(member);
          return { done: false, value: member };
        },
        return(): IteratorResult<Pending<number>> {
          throw thrown;
        },
      }),
    };
    const iterator = caller.asCompleted(items, { maxConcurrent: 1 });
    void iterator.next();
    expect(await within(iterator.return!())).toEqual({ done: true, value: undefined });
    expect((await takeReports()).map((r) => r.error)).toEqual([thrown]);
    expect(members.map((m) => m.cancelled)).toEqual([true]);
  });
});

/**
 * Caller's `gather` and `wait` read `items` with the package's own ObservableInput conversion
 * (lib/internal/fromInput.ts) rather than rxjs's `from`, so a Caller bundle carries neither `from` nor
 * `Subject`: the outcome must be the one the operators give over rxjs's `from`, on every kind of iterable.
 */
import { from } from 'rxjs';
import { Pending } from '../../lib/Pending.js';
import type { Awaitable } from '../../lib/types.js';
import { gather } from '../../operators/gather.js';
import { wait } from '../../operators/wait.js';
import { Caller } from '../../schedulers/Caller.js';
import { rejectionOf } from '../operators/helpers.js';

type Items = () => Iterable<Awaitable<number>>;

const failure = new Error('items failed');
const KINDS: [string, Items][] = [
  ['an array', () => [[1], Promise.resolve(2), () => [3]]],
  ['a Set', () => new Set<Awaitable<number>>([Promise.resolve(1), () => Promise.resolve(2)])],
  ['a Map iterator', () => new Map<string, Awaitable<number>>([['a', Promise.resolve(1)], ['b', [2]]]).values()],
  [
    'a generator',
    () =>
      (function* () {
        yield Promise.resolve(1);
        yield () => Promise.resolve(2);
      })(),
  ],
  [
    'a generator that throws after one member',
    () =>
      (function* () {
        yield Promise.resolve(1);
        throw failure;
      })(),
  ],
];

/** How a pending ended: its value or its error, compared the same way for both readings. */
async function outcome<T>(pending: Pending<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await pending };
  } catch (error) {
    return { error };
  }
}

describe('Caller combinators read items as rxjs from does', () => {
  let caller: Caller;
  beforeEach(() => {
    caller = new Caller({ name: 'combinator-input' });
  });
  afterEach(async () => {
    await caller.stop();
  });

  it.each(KINDS)('should gather %s as the gather operator over rxjs from does', async (_kind, items) => {
    const expected = await outcome(Pending.from(from(items()).pipe(gather<number>())));
    expect(await outcome(caller.gather(items()))).toEqual(expected);
  });

  it.each(KINDS)('should wait for %s as the wait operator over rxjs from does', async (_kind, items) => {
    const settledValues = async (pending: Pending<{ done: Set<Pending<number>>; pending: Set<Pending<number>> }>) => {
      const { value, error } = await outcome(pending);
      return value === undefined ? { error } : { done: [...value.done].map((p) => p.result()).sort(), pending: value.pending.size };
    };
    const expected = await settledValues(Pending.from(from(items()).pipe(wait<number>({ scheduler: caller }))));
    expect(await settledValues(caller.wait(items()))).toEqual(expected);
  });

  it('should reject gather with the error the items threw', async () => {
    expect(await rejectionOf(caller.gather(KINDS[4]![1]()))).toBe(failure);
  });

  it('should stop reading a generator, and close it, once a member has failed', async () => {
    let pulled = 0;
    let closed = false;
    function* items(): Generator<Awaitable<number>> {
      try {
        yield () => {
          throw new Error('first failed');
        };
        for (; pulled < 1000; pulled++) yield new Promise<number>(() => {});
      } finally {
        closed = true;
      }
    }
    expect(await rejectionOf(caller.gather(items()))).toEqual(new Error('first failed'));
    expect({ pulled, closed }).toEqual({ pulled: 0, closed: true });
  });
});

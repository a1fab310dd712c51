import fc from 'fast-check';
import { ChunkQueue } from '../../lib/internal/ChunkQueue';
import { chunksOf } from '../helpers/chunks';

type Op = { push: number } | 'shift' | 'peek' | 'drain' | 'clear';

describe('ChunkQueue', () => {
  it('should keep first-in first-out order across many chunk boundaries', () => {
    const queue = new ChunkQueue<number>();
    for (let i = 0; i < 10_000; i++) queue.push(i);
    expect(queue.length).toBe(10_000);
    const out: number[] = [];
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item);
    expect(out).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(queue.length).toBe(0);
  });

  it('should answer undefined from shift and peek when empty, and keep an undefined item apart from emptiness by length', () => {
    const queue = new ChunkQueue<string | undefined>();
    expect([queue.shift(), queue.peek(), queue.length]).toEqual([undefined, undefined, 0]);
    queue.push(undefined);
    expect(queue.length).toBe(1);
    expect(queue.shift()).toBeUndefined();
    expect(queue.length).toBe(0);
  });

  it('should peek the first item of the next chunk when the head chunk is used up but not yet left', () => {
    const queue = new ChunkQueue<number>();
    for (let i = 0; i < 17; i++) queue.push(i); // 16 in the first chunk, 1 in the second
    for (let i = 0; i < 16; i++) expect(queue.shift()).toBe(i);
    expect(queue.peek()).toBe(16);
    expect(queue.length).toBe(1);
    expect(queue.shift()).toBe(16);
    expect(queue.peek()).toBeUndefined();
  });

  it('should hold no reference to an item once it is shifted (so it can be collected)', () => {
    const queue = new ChunkQueue<object>();
    const items = Array.from({ length: 10 }, () => ({}));
    for (const item of items) queue.push(item);
    for (let i = 0; i < 5; i++) queue.shift();
    expect(chunksOf(queue)[0]!.filter((slot) => items.includes(slot as object))).toEqual(items.slice(5));
  });

  it('should start its one chunk over when emptied, and keep order when pushes and shifts interleave', () => {
    const queue = new ChunkQueue<number>();
    const firstChunk = chunksOf(queue)[0];
    for (let i = 0; i < 10; i++) queue.push(i);
    while (queue.length > 0) queue.shift();
    for (let i = 0; i < 16; i++) queue.push(i);
    // The 16 fit in the same first chunk again: nothing allocated.
    expect(chunksOf(queue)).toHaveLength(1);
    expect(chunksOf(queue)[0]).toBe(firstChunk);
    queue.clear();
    const out: number[] = [];
    let next = 0;
    // Fills 10 and drains 9 each time: the head walks through the chunks while the tail keeps adding them.
    for (let round = 0; round < 500; round++) {
      for (let i = 0; i < 10; i++) queue.push(next++);
      for (let i = 0; i < 9; i++) out.push(queue.shift()!);
    }
    out.push(...queue.drain());
    expect(out).toEqual(Array.from({ length: next }, (_, i) => i));
    queue.push(-1);
    expect(chunksOf(queue)).toHaveLength(1);
    expect(queue.peek()).toBe(-1);
  });

  it('should hold a burst in chunks of at most 2048 items, and give them back once drained', () => {
    const queue = new ChunkQueue<number>();
    for (let i = 0; i < 100_000; i++) queue.push(i);
    const sizes = chunksOf(queue).map((chunk) => chunk.length - 1);
    expect(sizes.slice(0, 9)).toEqual([16, 32, 64, 128, 256, 512, 1024, 2048, 2048]);
    expect(Math.max(...sizes)).toBe(2048);
    expect(sizes.reduce((a, b) => a + b)).toBeLessThan(100_000 + 2048);
    while (queue.length > 0) queue.shift();
    expect(chunksOf(queue).map((chunk) => chunk.length - 1)).toEqual([16]);
  });

  it('should drop its items on clear and drain', () => {
    const queue = new ChunkQueue<number>();
    for (let i = 0; i < 3000; i++) queue.push(i);
    queue.clear();
    expect([queue.length, queue.shift(), queue.peek()]).toEqual([0, undefined, undefined]);
    expect(chunksOf(queue).map((chunk) => chunk.length - 1)).toEqual([16]);
    for (let i = 0; i < 40; i++) queue.push(i);
    expect(queue.drain()).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect([queue.length, queue.drain()]).toEqual([0, []]);
  });

  it('should behave as an array used as a queue under any sequence of operations', () => {
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 3000 }).map((push) => ({ push })) },
      { weight: 4, arbitrary: fc.constant('shift' as const) },
      { weight: 2, arbitrary: fc.constant('peek' as const) },
      { weight: 1, arbitrary: fc.constant('drain' as const) },
      { weight: 1, arbitrary: fc.constant('clear' as const) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 2500 }), { minLength: 40, maxLength: 40 }), (ops, shifts) => {
        const queue = new ChunkQueue<number>();
        // The model: an array and the index of its first item still queued.
        let model: number[] = [];
        let first = 0;
        let next = 0;
        ops.forEach((o, i) => {
          if (typeof o === 'object') {
            for (let k = 0; k < o.push; k++) {
              queue.push(next);
              model.push(next++);
            }
          } else if (o === 'shift') {
            // Several shifts at once, so the head crosses chunks as often as the tail does (and past the end).
            const got: (number | undefined)[] = [];
            for (let k = 0; k < shifts[i]!; k++) got.push(queue.shift());
            const want: (number | undefined)[] = model.slice(first, first + shifts[i]!);
            while (want.length < got.length) want.push(undefined);
            expect(got).toEqual(want);
            first = Math.min(first + shifts[i]!, model.length);
          } else if (o === 'peek') expect(queue.peek()).toBe(model[first]);
          else {
            if (o === 'drain') expect(queue.drain()).toEqual(model.slice(first));
            else queue.clear();
            model = [];
            first = 0;
          }
          expect(queue.length).toBe(model.length - first);
        });
        expect(queue.drain()).toEqual(model.slice(first));
      }),
      { numRuns: 100 },
    );
  });
});

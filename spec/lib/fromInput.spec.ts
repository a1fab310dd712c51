/**
 * lib/internal/fromInput.ts is Pending.from's own conversion of an ObservableInput: it must behave as
 * rxjs's `from` on every kind of input. Each case runs both on the same input and compares what a
 * subscriber saw (values, completion, errors, and which came synchronously) and what unsubscribing stopped.
 */
import { from, Observable, observable, of, take, type ObservableInput } from 'rxjs';
import { fromInput } from '../../lib/internal/fromInput';

/** What a subscriber to `source` saw, up to its end (or up to `count` values, then unsubscribed). */
async function seen(source: Observable<unknown>, count?: number): Promise<string[]> {
  const log: string[] = [];
  let sync = true;
  await new Promise<void>((resolve) => {
    const piped = count === undefined ? source : source.pipe(take(count));
    piped.subscribe({
      next: (value) => log.push(`${sync ? 'sync ' : ''}next ${String(value)}`),
      error: (error: Error) => {
        log.push(`${sync ? 'sync ' : ''}error ${error.name}`);
        resolve();
      },
      complete: () => {
        log.push(`${sync ? 'sync ' : ''}complete`);
        resolve();
      },
    });
    sync = false;
  });
  // Let finally blocks of generators and stream readers run.
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return log;
}

/** Runs `make()`'s input through rxjs's `from` and through fromInput; returns both logs and the side logs. */
async function both(make: (log: string[]) => ObservableInput<unknown>, count?: number): Promise<[string[], string[]]> {
  const rxjsSide: string[] = [];
  const ownSide: string[] = [];
  const rxjs = [...(await seen(from(make(rxjsSide)), count)), ...rxjsSide];
  const own = [...(await seen(fromInput(make(ownSide)), count)), ...ownSide];
  return [own, rxjs];
}

function* numbers(log: string[]): Generator<number> {
  try {
    yield 1;
    yield 2;
    yield 3;
  } finally {
    log.push('iterator closed');
  }
}

async function* asyncNumbers(log: string[]): AsyncGenerator<number> {
  try {
    yield 1;
    yield 2;
    yield 3;
  } finally {
    log.push('async iterator closed');
  }
}

function stream(log: string[], fail = false): ReadableStream<number> {
  let next = 1;
  return new ReadableStream<number>({
    pull(controller) {
      if (fail && next === 2) controller.error(new RangeError('stream failed'));
      else if (next > 3) controller.close();
      else controller.enqueue(next++);
    },
    cancel() {
      log.push('stream cancelled');
    },
  });
}

const cases: [string, (log: string[]) => ObservableInput<unknown>][] = [
  ['an Observable', () => of(1, 2, 3)],
  ['a Symbol.observable interop object', () => ({ [observable]: () => of(1, 2) }) as unknown as ObservableInput<unknown>],
  ['an interop object without subscribe', () => ({ [observable]: () => ({}) }) as unknown as ObservableInput<unknown>],
  ['an array', () => [1, 2, 3]],
  ['an empty array', () => []],
  ['a string', () => 'abc'],
  ['an array-like object', () => ({ length: 2, 0: 'a', 1: 'b' })],
  ['a fulfilled promise', () => Promise.resolve(7)],
  ['a rejected promise', () => Promise.reject(new RangeError('no'))],
  ['a thenable', () => ({ then: (resolve: (value: number) => void) => resolve(8) }) as PromiseLike<number>],
  ['an iterable', (log) => ({ [Symbol.iterator]: () => numbers(log) })],
  ['an iterable that throws', () => ({ [Symbol.iterator]: function* () { yield 1; throw new RangeError('iteration failed'); } })],
  ['an async iterable', (log) => ({ [Symbol.asyncIterator]: () => asyncNumbers(log) })],
  ['an async iterable that throws', () => ({ [Symbol.asyncIterator]: async function* () { yield 1; throw new RangeError('async iteration failed'); } })],
  // DOM's ReadableStream types getReader with overloads rxjs's ReadableStreamLike does not list.
  ['a ReadableStream', (log) => stream(log) as unknown as ObservableInput<unknown>],
  ['a ReadableStream that fails', (log) => stream(log, true) as unknown as ObservableInput<unknown>],
];

describe('fromInput (Pending.from conversion) against rxjs from', () => {
  it.each(cases)('should see the same notifications from %s', async (_kind, make) => {
    const [own, rxjs] = await both(make);
    expect(own).toEqual(rxjs);
    expect(own.length).toBeGreaterThan(0);
  });

  it.each(cases.filter(([kind]) => !/empty|throws|fails|rejected|without/.test(kind)))('should stop %s the same way when unsubscribed after one value', async (_kind, make) => {
    const [own, rxjs] = await both(make, 1);
    expect(own).toEqual(rxjs);
    expect(own[0]).toMatch(/next/);
  });

  it('should return an Observable as it is, as rxjs does', () => {
    const source = of(1);
    expect(fromInput(source)).toBe(source);
    expect(from(source)).toBe(source);
  });

  it('should close an iterable and an async iterable when unsubscribed early', async () => {
    const [iterable] = await both((log) => ({ [Symbol.iterator]: () => numbers(log) }), 1);
    const [asyncIterable] = await both((log) => ({ [Symbol.asyncIterator]: () => asyncNumbers(log) }), 1);
    expect(iterable).toEqual(['sync next 1', 'sync complete', 'iterator closed']);
    expect(asyncIterable).toEqual(['next 1', 'complete', 'async iterator closed']);
  });

  it('should fail its subscriber with a TypeError for an input of no known kind', () => {
    const errors: unknown[] = [];
    fromInput(5 as unknown as ObservableInput<unknown>).subscribe({ error: (error) => errors.push(error) });
    expect(errors).toEqual([new TypeError('Expected an ObservableInput (Observable, Promise, array, iterable, async iterable or ReadableStream), got `5` (number)')]);
  });
});

import { AsyncLocalStorage } from 'node:async_hooks';
import { PendingCancelled } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import { Caller } from '../../schedulers/Caller.js';
import { flushMicrotasks, rejectionOf, stopAllCallers } from '../helpers/callers.js';
import { within } from '../helpers/within.js';

/**
 * `await` of a call that has run already (its value a primitive) answers `then` without making a promise
 * of the value first: these pin that it still behaves as Pending's `then` (a native promise's) does.
 */
describe('Caller: then() of a call that has run', () => {
  afterEach(stopAllCallers);

  /**
   * A call of `fn` that has run, with no promise of it made yet (the case the fast path takes). In an
   * object: an async function returning the pending itself would await it.
   */
  async function ranCall<T>(caller: Caller, fn: () => T): Promise<{ p: Pending<Awaited<T>> }> {
    const p = caller.callSoon(fn);
    await within(caller.callSoon(() => undefined));
    expect(p.done).toBe(true);
    expect(p._promise).toBeUndefined();
    return { p };
  }

  /** A call settled from outside (its work never ends on its own). */
  function heldCall<T>(caller: Caller): Pending<T> {
    return caller.callSoon(() => new Promise<T>(() => undefined));
  }

  it('should hand the value to the handler asynchronously, without a promise of it', async () => {
    const caller = new Caller();
    const { p } = await ranCall(caller, () => 42);
    const seen: number[] = [];
    const reaction = p.then((v) => seen.push(v));
    expect(seen).toEqual([]);
    expect(p._promise).toBeUndefined();
    await within(reaction);
    expect(seen).toEqual([42]);
    expect(await p).toBe(42);
    expect(await caller.callSoon(() => null)).toBeNull();
  });

  it('should give the promise it returns what the handler returns or throws', async () => {
    const caller = new Caller();
    const { p } = await ranCall(caller, () => 2);
    expect(await within(p.then((v) => v * 21))).toBe(42);
    const thrown = new Error('from the handler');
    expect(
      await rejectionOf(
        p.then(() => {
          throw thrown;
        }),
      ),
    ).toBe(thrown);
  });

  it('should pass the value through when the handler is not a function', async () => {
    const caller = new Caller();
    const { p } = await ranCall(caller, () => 'kept');
    expect(await within(p.then())).toBe('kept');
    expect(await within(p.then(null, null))).toBe('kept');
    expect(await within(p.then(5 as never))).toBe('kept');
  });

  it('should reject as before when the call failed or was cancelled, and not surface a failure a handler took', async () => {
    const caller = new Caller();
    const onFulfilled = jest.fn();
    // Primitive failures: the value checks alone would let them through.
    const { p: thrownString } = await ranCall(caller, () => {
      throw 'a string';
    });
    expect(await rejectionOf(thrownString.then(onFulfilled))).toBe('a string');
    const cancelled = caller.callSoon(() => 1);
    cancelled.cancel('not wanted');
    expect(await rejectionOf(cancelled.then(onFulfilled))).toBeInstanceOf(PendingCancelled);
    const error = new Error('the call failed');
    const { p } = await ranCall(caller, () => {
      throw error;
    });
    expect(await rejectionOf(p.then(onFulfilled))).toBe(error);
    expect(onFulfilled).not.toHaveBeenCalled();
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      expect(await within(p.then(undefined, (e: unknown) => `took: ${(e as Error).message}`))).toBe('took: the call failed');
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('should run the handler in the async context of the then call', async () => {
    const caller = new Caller();
    const storage = new AsyncLocalStorage<string>();
    const { p: ran } = await ranCall(caller, () => 1);
    const { p: failed } = await ranCall(caller, () => {
      throw new Error('x');
    });
    const notYet = caller.callSoon(() => 1);
    const seen = await within(
      Promise.all([
        storage.run('ran', () => ran.then(() => storage.getStore())),
        storage.run('failed', () => failed.then(undefined, () => storage.getStore())),
        storage.run('not run yet', () => notYet.then(() => storage.getStore())),
      ]),
    );
    expect(seen).toEqual(['ran', 'failed', 'not run yet']);
  });

  it('should adopt a thenable value as a promise of it would (object or function)', async () => {
    // Wrapped in an array by the handler: its own return value would be adopted anyway.
    const caller = new Caller();
    const objectThenable = heldCall<unknown>(caller);
    objectThenable.setResult(Promise.resolve('adopted'));
    expect(await within(objectThenable.then((v) => [v]))).toEqual(['adopted']);
    const functionThenable = heldCall<unknown>(caller);
    functionThenable.setResult(Object.assign(() => undefined, { then: (resolve: (v: string) => void) => resolve('from a function') }));
    expect(await within(functionThenable.then((v) => [v]))).toEqual(['from a function']);
  });

  it('should keep handlers in the order of their then calls once a promise was made before settlement', async () => {
    // The call settles inside another settlement's callbacks: its promise resolves only once those have
    // run, and a handler added in between must still run after the one added before settlement.
    const caller = new Caller();
    const order: string[] = [];
    const outer = new Pending<void>();
    const p = heldCall<number>(caller);
    const first = p.then(() => order.push('added before settlement'));
    let second: Promise<unknown> | undefined;
    outer.addDoneCallback(() => {
      p.setResult(1);
      second = p.then(() => order.push('added after settlement'));
    });
    outer.setResult();
    await within(Promise.all([first, second]));
    await flushMicrotasks();
    expect(order).toEqual(['added before settlement', 'added after settlement']);
  });
});

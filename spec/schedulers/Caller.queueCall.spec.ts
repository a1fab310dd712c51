import { CallerStoppedError } from '../../lib/errors.js';
import type { Pending } from '../../lib/Pending.js';
import { Caller } from '../../schedulers/Caller.js';
import { collectUntil, deferred, flushMicrotasks, nextMacrotask, stopAllCallers, thrownBy } from '../helpers/callers.js';
import { takeReports } from '../helpers/reports.js';
import { rejectionOf } from '../helpers/outcomes.js';
import { within } from '../helpers/within.js';

/** Waits until `check()` holds, polling the event loop a bounded number of times; fails if it never does. */
async function until(check: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds && !check(); i++) await nextMacrotask();
  expect(check()).toBe(true);
}

describe('Caller queueCall', () => {
  afterEach(stopAllCallers);

  it('should run calls to one function strictly one at a time, in order, even when it is async', async () => {
    const caller = new Caller();
    const calls: number[] = [];
    let active = 0;
    let maxActive = 0;
    const last = deferred();
    const fn = async (n: number) => {
      active++;
      maxActive = Math.max(maxActive, active);
      calls.push(n);
      await new Promise((resolve) => setTimeout(resolve, n % 3));
      await flushMicrotasks();
      active--;
      if (n === 19) last.resolve();
    };
    for (let n = 0; n < 20; n++) caller.queueCall(fn, n);
    await last.promise;
    expect(calls).toEqual([...Array(20).keys()]);
    expect(maxActive).toBe(1);
  });

  it('should run calls to different functions side by side', async () => {
    const caller = new Caller();
    const a = deferred();
    const seen: string[] = [];
    const slow = async () => {
      seen.push('slow started');
      await a.promise;
      seen.push('slow ended');
    };
    const fast = () => seen.push('fast');
    caller.queueCall(slow);
    caller.queueCall(fast);
    await until(() => seen.includes('fast'));
    expect(seen).toEqual(['slow started', 'fast']);
    a.resolve();
    await until(() => seen.includes('slow ended'));
  });

  it('should run the function with Caller.current() === the caller', async () => {
    const caller = new Caller();
    const seen = deferred<Caller>();
    caller.queueCall(() => seen.resolve(Caller.current()));
    expect(await within(seen.promise)).toBe(caller);
  });

  it('should report errors (thrown or rejected) and go on with the queue', async () => {
    const caller = new Caller();
    const calls: string[] = [];
    const thrown = new Error('thrown');
    const rejected = new Error('rejected');
    const fn = async (what: string) => {
      calls.push(what);
      if (what === 'reject') throw rejected;
    };
    const sync = (what: string) => {
      calls.push(what);
      if (what === 'throw') throw thrown;
    };
    caller.queueCall(fn, 'reject');
    caller.queueCall(fn, 'after reject');
    caller.queueCall(sync, 'throw');
    caller.queueCall(sync, 'after throw');
    await until(() => calls.length === 4);
    expect(calls.sort()).toEqual(['after reject', 'after throw', 'reject', 'throw']);
    const reports = await takeReports();
    expect(reports.map((r) => [r.kind, r.error])).toEqual(expect.arrayContaining([['unobserved', thrown], ['unobserved', rejected]]));
    expect(reports).toHaveLength(2);
  });

  it('should give the long-lived task of an open queue with queueGet, one per function', async () => {
    const caller = new Caller();
    const fn = () => undefined;
    const other = () => undefined;
    expect(caller.queueGet(fn)).toBeUndefined();
    caller.queueCall(fn);
    const task = caller.queueGet(fn);
    expect(task).toBeDefined();
    expect(task!.done).toBe(false);
    caller.queueCall(fn);
    await nextMacrotask();
    expect(caller.queueGet(fn)).toBe(task);
    expect(task!.done).toBe(false); // idle, waiting for more calls
    caller.queueCall(other);
    expect(caller.queueGet(other)).not.toBe(task);
  });

  it('should close only its own queue on queueClose, dropping the calls not yet started', async () => {
    const caller = new Caller();
    const calls: string[] = [];
    const gate = deferred();
    const closing = async (n: number) => {
      calls.push(`closing ${n}`);
      await gate.promise;
    };
    const staying = async (n: number) => {
      calls.push(`staying ${n}`);
      await gate.promise;
    };
    for (let n = 0; n < 3; n++) {
      caller.queueCall(closing, n);
      caller.queueCall(staying, n);
    }
    await until(() => calls.length === 2);
    const closingTask = caller.queueGet(closing)!;
    const stayingTask = caller.queueGet(staying)!;
    caller.queueClose(closing);
    expect(caller.queueGet(closing)).toBeUndefined();
    expect(closingTask.cancelled).toBe(true);
    expect(caller.queueGet(staying)).toBe(stayingTask);
    gate.resolve();
    await until(() => calls.length === 4);
    await closingTask.then(undefined, () => undefined);
    expect(closingTask.state).toBe('cancelled');
    expect(stayingTask.done).toBe(false);
    expect(calls).toEqual(['closing 0', 'staying 0', 'staying 1', 'staying 2']);
    caller.queueClose(() => undefined); // an unknown function: nothing to close
    expect(caller.queueGet(staying)).toBe(stayingTask);
  });

  it('should wake an idle queue for a call queued after the earlier ones ran', async () => {
    const caller = new Caller();
    const calls: number[] = [];
    const fn = (n: number) => calls.push(n);
    caller.queueCall(fn, 1);
    await until(() => calls.length === 1);
    await nextMacrotask();
    caller.queueCall(fn, 2);
    await until(() => calls.length === 2);
    expect(calls).toEqual([1, 2]);
  });

  it('should open a fresh queue when a closed function is queued again', async () => {
    const caller = new Caller();
    const calls: number[] = [];
    const fn = (n: number) => calls.push(n);
    caller.queueCall(fn, 1);
    await until(() => calls.length === 1);
    const first = caller.queueGet(fn);
    caller.queueClose(fn);
    caller.queueCall(fn, 2);
    await until(() => calls.length === 2);
    expect(caller.queueGet(fn)).not.toBe(first);
    expect(calls).toEqual([1, 2]);
  });

  it('should close the queue when its task is cancelled', async () => {
    const caller = new Caller();
    const calls: number[] = [];
    const gate = deferred();
    const fn = async (n: number) => {
      calls.push(n);
      await gate.promise;
    };
    caller.queueCall(fn, 1);
    caller.queueCall(fn, 2);
    await until(() => calls.length === 1);
    const task = caller.queueGet(fn)!;
    task.cancel('enough');
    expect(caller.queueGet(fn)).toBeUndefined();
    gate.resolve();
    await task.then(undefined, () => undefined);
    expect(task.state).toBe('cancelled');
    await nextMacrotask();
    expect(calls).toEqual([1]);
  });

  it('should close every queue on stop', async () => {
    const caller = new Caller({ name: 'queued' });
    const a = () => undefined;
    const b = () => undefined;
    caller.queueCall(a);
    caller.queueCall(b);
    const tasks = [caller.queueGet(a)!, caller.queueGet(b)!];
    await nextMacrotask();
    caller.stop();
    await within(caller.stopped);
    expect(tasks.map((t) => t.state)).toEqual(['cancelled', 'cancelled']);
    expect(caller.queueGet(a)).toBeUndefined();
    // The stop cancels the tasks as it cancels every running call; each task then closes its queue.
    for (const task of tasks) {
      expect(await rejectionOf(task)).toMatchObject({ name: 'PendingCancelled', reasons: ["caller 'queued' stopped", 'queue closed'] });
    }
  });

  it('should cancel the task of a queue closed by queueClose once, for that reason alone, and end it at once though idle', async () => {
    // No grace period to end it: the idle task must be woken to see its queue closed.
    const grace = Caller.CANCEL_GRACE;
    Caller.CANCEL_GRACE = Infinity;
    try {
      const caller = new Caller();
      const fn = () => undefined;
      caller.queueCall(fn);
      const task = caller.queueGet(fn)!;
      await nextMacrotask();
      caller.queueClose(fn);
      caller.queueClose(fn);
      expect(await rejectionOf(task)).toMatchObject({ name: 'PendingCancelled', reasons: ['queue closed'] });
    } finally {
      Caller.CANCEL_GRACE = grace;
    }
  });

  it('should throw CallerStoppedError on a stopped caller, and TypeError for a non-function', async () => {
    const caller = new Caller({ name: 'q' });
    caller.stop();
    const error = thrownBy(() => caller.queueCall(() => undefined));
    expect(error).toBeInstanceOf(CallerStoppedError);
    expect((error as Error).message).toBe("Caller 'q' is stopped: queueCall was refused");
    expect(() => new Caller().queueCall(undefined as never)).toThrow(TypeError);
  });

  it('should close the queue once its function is garbage-collected', async () => {
    const caller = new Caller();
    const calls: number[] = [];
    // Made in a function of its own, so that no frame of this test holds `fn` once it returns.
    const start = (): Pending<void> => {
      const fn = (n: number) => calls.push(n);
      caller.queueCall(fn, 1);
      caller.queueCall(fn, 2);
      return caller.queueGet(fn)!;
    };
    const task = start();
    await until(() => calls.length === 2);
    expect(task.done).toBe(false);
    expect(await collectUntil(() => task.done)).toBe(true);
    expect(task.state).toBe('cancelled');
    expect(calls).toEqual([1, 2]);
  });
});

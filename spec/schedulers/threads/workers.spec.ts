/**
 * The pool on real worker threads: parallelism, module and inline tasks, transfer, errors, cancellation
 * reaching a busy thread, crashes, module load failures, close. Synchronised with shared memory and
 * messages, never with sleeps.
 */
import { Pending } from '../../../lib/Pending';
import { ThreadPool, type ThreadPoolOptions } from '../../../schedulers/threads/ThreadPool';
import { threadModule } from '../../../schedulers/threads/threadModule';
import { threadTask } from '../../../schedulers/threads/threadTask';
import { transfer } from '../../../schedulers/threads/transfer';
import { whenSet } from '../../helpers/shared';
import type * as Tasks from '../../helpers/tasks';

const tasksUrl = require.resolve('../../helpers/tasks');
const tasks = threadModule<typeof Tasks>(tasksUrl);

describe('ThreadPool (worker threads)', () => {
  let pool: ThreadPool | undefined;

  function makePool(options?: ThreadPoolOptions): ThreadPool {
    pool = new ThreadPool({ maxThreads: 2, ...options });
    return pool;
  }

  function run<T>(task: unknown, ...args: unknown[]): Pending<T> {
    const pending = new Pending<T>();
    pool!.run(task as never, args, pending as Pending<unknown>);
    return pending;
  }

  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('should run two CPU-bound calls at the same time on different threads', async () => {
    makePool({ maxThreads: 2 });
    const shared = new SharedArrayBuffer(4);
    // Each call waits at a barrier until the other arrives: only true parallelism lets both finish.
    const ids = await Promise.all([run<number>(tasks.barrier, shared, 2), run<number>(tasks.barrier, shared, 2)]);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids.every((id) => id > 0)).toBe(true);
  });

  it('should queue calls beyond maxThreads and start them in FIFO order', async () => {
    makePool({ maxThreads: 1 });
    const log = new SharedArrayBuffer(4 * 8);
    const ids = await Promise.all([1, 2, 3, 4, 5].map((n) => run<number>(tasks.record, log, n)));
    expect([...new Int32Array(log).slice(1, 6)]).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(ids).size).toBe(1);
  });

  it('should move a call waiting behind a busy thread to a thread that became idle', async () => {
    makePool({ maxThreads: 2 });
    const log = new SharedArrayBuffer(4 * 8);
    const gate = new SharedArrayBuffer(4);
    // The first call holds thread A; the second keeps B busy for a moment, so the third goes to A's
    // link behind the first. When B is done it takes the third, which A has not begun.
    const first = run<number>(tasks.recordThenWait, log, 1, gate);
    const second = run<number>(tasks.record, log, 2);
    const third = run<number>(tasks.record, log, 3);
    const [threadOfSecond, threadOfThird] = await Promise.all([second, third]);
    expect(threadOfThird).toBe(threadOfSecond);
    expect(first.done).toBe(false);
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    expect(await first).not.toBe(threadOfThird);
  });

  it('should run a typed threadTask, loading its module once per thread', async () => {
    makePool({ maxThreads: 1 });
    const add = threadTask<typeof Tasks.add>(tasksUrl, 'add');
    await expect(Promise.all([run(add, 1, 2), run(add, 3, 4)])).resolves.toEqual([3, 7]);
  });

  it('should give tasks the thread’s own Caller.current() and their own Caller.currentPending()', async () => {
    makePool({ maxThreads: 1 });
    const here = await run<ReturnType<typeof Tasks.whereAmI>>(tasks.whereAmI);
    expect(here.threadId).toBeGreaterThan(0);
    // The thread's own caller, named after the thread ('main' is the main thread's).
    expect(here).toMatchObject({ caller: `pool-thread-${here.threadId}`, hasPending: true, pendingIsCurrent: true });
    await expect(run(tasks.whereAmIAfterAwait)).resolves.toMatchObject({ hasPending: true });
    await expect(run(tasks.viaCurrentCaller, 21)).resolves.toBe(42);
  });

  it('should run async tasks', async () => {
    makePool();
    await expect(run(tasks.addLater, 40, 2)).resolves.toBe(42);
  });

  it('should run a self-contained inline function', async () => {
    makePool();
    await expect(run((n: number) => Array.from({ length: n }, (_, i) => i * i), 4)).resolves.toEqual([0, 1, 4, 9]);
    await expect(run(async (s: string) => s.toUpperCase(), 'async')).resolves.toBe('ASYNC');
  });

  it('should fail an inline function that uses an outside variable with an error naming it', async () => {
    makePool();
    const factor = 3;
    await expect(run((n: number) => n * factor, 2)).rejects.toThrow(/uses `factor`, which does not exist in the worker/);
    await expect(run((n: number) => n * factor, 2)).rejects.toMatchObject({ name: 'ReferenceError' });
  });

  it('should move transferred buffers: the sender’s copy is detached, both ways', async () => {
    makePool();
    const buffer = new ArrayBuffer(1024);
    new Uint8Array(buffer).fill(1);
    await expect(run(tasks.sumBytes, transfer(buffer, [buffer]))).resolves.toBe(1024);
    expect(buffer.byteLength).toBe(0);
    const back = await run<ArrayBuffer>(tasks.makeBuffer, 16);
    expect(back.byteLength).toBe(16);
    expect(new Uint8Array(back)[0]).toBe(7);
  });

  it('should reject with the task’s error: class name, message, stack and cause kept', async () => {
    makePool();
    const error = (await run(tasks.fail, 'out of range').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RangeError);
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('out of range');
    expect(error.stack).toContain('tasks.ts');
    expect(error.cause).toMatchObject({ name: 'TaskFailure', message: 'the root cause' });
    const custom = (await run(tasks.failWithCustomClass, 'custom').catch((e: unknown) => e)) as Error;
    expect(custom).toMatchObject({ name: 'TaskFailure', message: 'custom' });
  });

  it('should stop a cooperative CPU-bound loop through its signal, inside the thread', async () => {
    makePool({ cancelGrace: () => 60_000 });
    const started = new SharedArrayBuffer(4);
    const call = run(tasks.cooperativeLoop, started);
    await whenSet(started);
    call.cancel('enough');
    // The loop saw the shared flag and returned; the thread was not terminated.
    await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
    expect(pool!.threadCount).toBe(1);
    await expect(run(tasks.add, 1, 1)).resolves.toBe(2);
    expect(pool!.threadCount).toBe(1);
  });

  it('should abort the signal of an async task when its call is cancelled', async () => {
    makePool({ cancelGrace: () => 60_000 });
    const started = new SharedArrayBuffer(4);
    const call = run(tasks.untilAborted, started);
    await whenSet(started);
    call.cancel('no more');
    await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
  });

  it('should terminate and replace a thread stuck in while(true) after the grace period', async () => {
    makePool({ maxThreads: 1, cancelGrace: () => 10 });
    const started = new SharedArrayBuffer(4);
    const call = run(tasks.forever, started);
    await whenSet(started);
    const exited = new Promise((resolve) => pool!._threadExits.subscribe(resolve));
    call.cancel('stop spinning');
    await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
    await exited;
    await expect(run(tasks.add, 2, 2)).resolves.toBe(4);
  });

  it('should reject a call whose thread calls process.exit with WorkerCrashedError, and run the next call', async () => {
    makePool({ maxThreads: 1 });
    const crash = run(tasks.exitThread, 3);
    await expect(crash).rejects.toMatchObject({ name: 'WorkerCrashedError' });
    await expect(crash).rejects.toThrow(/exited with code 3/);
    await expect(run(tasks.add, 1, 2)).resolves.toBe(3);
  });

  it('should reject a call whose thread throws in a timer with WorkerCrashedError, and run the next call', async () => {
    makePool({ maxThreads: 1 });
    const crash = run(tasks.throwInTimer, 'boom in a timer');
    await expect(crash).rejects.toMatchObject({ name: 'WorkerCrashedError' });
    await expect(crash).rejects.toThrow(/boom in a timer/);
    await expect(run(tasks.add, 1, 2)).resolves.toBe(3);
  });

  it('should complete the four good calls among six when two of them crash their threads', async () => {
    makePool({ maxThreads: 2 });
    const calls = [run(tasks.add, 1, 1), run(tasks.exitThread, 1), run(tasks.add, 2, 2), run(tasks.add, 3, 3), run(tasks.throwInTimer, 'boom'), run(tasks.add, 4, 4)];
    const outcomes = await Promise.allSettled(calls);
    const fulfilled = outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<unknown>).value);
    const rejected = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason as Error);
    expect(fulfilled.sort()).toEqual([2, 4, 6, 8]);
    expect(rejected.map((e) => e.name)).toEqual(['WorkerCrashedError', 'WorkerCrashedError']);
  });

  it('should reject every call for a module that throws while loading, naming the module, and stay healthy', async () => {
    makePool({ maxThreads: 1 });
    const broken = threadTask<() => number>(require.resolve('../../helpers/brokenTasks'), 'never');
    const calls = Array.from({ length: 4 }, () => run(broken));
    const outcomes = await Promise.allSettled(calls);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect(((outcome as PromiseRejectedResult).reason as Error).message).toMatch(/Could not load thread task module .*brokenTasks.*this module refuses to load/);
    }
    await expect(run(tasks.add, 1, 2)).resolves.toBe(3);
  });

  it('should reject every call for a module that does not exist, naming it', async () => {
    makePool({ maxThreads: 1 });
    const missing = threadTask<() => number>('/no/such/dir/tasks.js', 'f');
    const outcomes = await Promise.allSettled([run(missing), run(missing), run(missing)]);
    for (const outcome of outcomes) {
      expect(((outcome as PromiseRejectedResult).reason as Error).message).toMatch(/Could not load thread task module \/no\/such\/dir\/tasks\.js/);
    }
  });

  it('should reject a call for a missing export, listing the exports there are', async () => {
    makePool({ maxThreads: 1 });
    await expect(run(threadTask(tasksUrl, 'nope'))).rejects.toThrow(/has no function export 'nope' \(its function exports: .*add/);
  });

  it('should terminate every thread on close()', async () => {
    const p = makePool({ maxThreads: 2 });
    const shared = new SharedArrayBuffer(4);
    await Promise.all([run(tasks.barrier, shared, 2), run(tasks.barrier, shared, 2)]);
    expect(p.threadCount).toBe(2);
    await p.close();
    expect(p.threadCount).toBe(0);
  });
});

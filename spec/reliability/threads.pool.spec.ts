/**
 * Regression tests of issue 8 for the pool behind toThread, on real worker threads: a thenable whose
 * `then` throws, finished results kept when a neighbour kills the thread, calls claimed only when they
 * start, the pool's resourceLimits. Faulty tasks: spec/helpers/faultTasks.mjs.
 */
import { Pending } from '../../lib/Pending';
import { ThreadPool, type ThreadPoolOptions } from '../../schedulers/threads/ThreadPool';
import { threadTask } from '../../schedulers/threads/threadTask';
import { whenSet } from '../helpers/shared';

const FAULTS = require.resolve('../helpers/faultTasks.mjs');
const inc = threadTask<(i: number) => number>(FAULTS, 'inc');
const exitThread = threadTask<(code: number) => never>(FAULTS, 'exitThread');
const exhaustMemory = threadTask<() => never>(FAULTS, 'exhaustMemory');
const spin = threadTask<(started: SharedArrayBuffer) => never>(FAULTS, 'spin');
const throwingThenable = threadTask<(message: string) => PromiseLike<never>>(FAULTS, 'throwingThenable');
const exitWhenOpened = threadTask<(started: SharedArrayBuffer, gate: SharedArrayBuffer, code: number) => never>(FAULTS, 'exitWhenOpened');

describe('ThreadPool reliability (worker threads)', () => {
  let pool: ThreadPool | undefined;
  let exits: number[];

  function makePool(options?: ThreadPoolOptions): ThreadPool {
    pool = new ThreadPool({ maxThreads: 1, ...options });
    exits = [];
    pool._threadExits.subscribe((id) => exits.push(id));
    return pool;
  }

  function run<T>(task: unknown, ...args: unknown[]): Pending<T> {
    const pending = new Pending<T>();
    pool!.run(task as never, args, pending as Pending<unknown>);
    return pending;
  }

  const incs = (from: number, count: number) => Array.from({ length: count }, (_, k) => run<number>(inc, from + k));
  const values = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k + 1);

  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('should reject a call whose task returns a thenable whose `then` throws, and keep its thread', async () => {
    makePool();
    await expect(run(inc, 1)).resolves.toBe(2);
    const [threadId] = pool!._threadIds;
    await expect(run(throwingThenable, 'then failed')).rejects.toMatchObject({ name: 'Error', message: 'then failed' });
    await expect(run(inc, 2)).resolves.toBe(3);
    expect(pool!._threadIds).toEqual([threadId]);
    expect(exits).toEqual([]);
  });

  it('should deliver the results a thread finished before a neighbour in the same batch called process.exit', async () => {
    makePool();
    await run(inc, 0);
    const before = incs(0, 30);
    const crash = run(exitThread, 5);
    const after = incs(100, 30);
    await expect(crash).rejects.toMatchObject({ name: 'WorkerCrashedError' });
    await expect(Promise.all(before)).resolves.toEqual(values(0, 30));
    await expect(Promise.all(after)).resolves.toEqual(values(100, 30));
  });

  it('should deliver the results a thread finished before a neighbour ran it out of memory, and end only that thread', async () => {
    makePool({ resourceLimits: () => ({ maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 }) });
    await run(inc, 0);
    const before = incs(0, 30);
    const crash = run(exhaustMemory);
    const after = incs(100, 30);
    const error = await crash.then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: { code?: string } },
    );
    expect(error).toMatchObject({ name: 'WorkerCrashedError' });
    expect(error?.cause?.code).toBe('ERR_WORKER_OUT_OF_MEMORY');
    await expect(Promise.all(before)).resolves.toEqual(values(0, 30));
    await expect(Promise.all(after)).resolves.toEqual(values(100, 30));
    expect(exits).toHaveLength(1);
  });

  it('should deliver the results a thread finished before it was terminated for a cancelled call that spins, and rerun the calls behind it', async () => {
    makePool({ cancelGrace: () => 20 });
    await run(inc, 0);
    const before = incs(0, 30);
    const started = new SharedArrayBuffer(4);
    const hog = run(spin, started);
    const after = incs(100, 30);
    await whenSet(started);
    hog.cancel('stop spinning');
    await expect(hog).rejects.toMatchObject({ name: 'PendingCancelled' });
    await expect(Promise.all(before)).resolves.toEqual(values(0, 30));
    await expect(Promise.all(after)).resolves.toEqual(values(100, 30));
  });

  it('should give no new call to a thread whose cancelled call still runs, and move the calls it had not begun', async () => {
    makePool({ maxThreads: 2, cancelGrace: () => 60_000 });
    await Promise.all([run(inc, 0), run(inc, 1)]);
    const started = new SharedArrayBuffer(4);
    const hog = run(spin, started);
    await whenSet(started);
    hog.cancel('stop spinning');
    // The spinning thread keeps its slot for a minute: every call still runs, on the other thread.
    await expect(Promise.all(incs(0, 50))).resolves.toEqual(values(0, 50));
    expect(hog.state).toBe('cancelling');
  });

  it('should claim a call only when its task starts: calls received while the module loaded are rerun after a crash', async () => {
    makePool();
    // One batch: the module is not loaded yet, so every call is received before the first one runs.
    const crash = run(exitThread, 3);
    const behind = incs(0, 20);
    await expect(crash).rejects.toMatchObject({ name: 'WorkerCrashedError' });
    await expect(Promise.all(behind)).resolves.toEqual(values(0, 20));
  });

  it('should give no call to a busy thread whose slots all went to calls taken back from it: when it dies, no call is lost', async () => {
    makePool({ maxThreads: 2 });
    await Promise.all([run(inc, 0), run(inc, 1)]);
    const started = new SharedArrayBuffer(4);
    const gate = new SharedArrayBuffer(4);
    const crash = run(exitWhenOpened, started, gate, 9);
    await whenSet(started);
    // The blocked thread's share of this burst is taken back, call by call, by the other thread, and
    // each call taken back keeps its slot until the blocked worker has passed over it: none are free now.
    await expect(Promise.all(incs(0, 200))).resolves.toEqual(values(0, 200));
    // So the blocked thread may take no call of the next burst: one it took, without a slot, could
    // neither be taken back nor be known as not begun, and would fail with the thread.
    const next = incs(1000, 200);
    Atomics.store(new Int32Array(gate), 0, 1);
    Atomics.notify(new Int32Array(gate), 0);
    await expect(crash).rejects.toMatchObject({ name: 'WorkerCrashedError' });
    await expect(Promise.all(next)).resolves.toEqual(values(1000, 200));
  });

  it('should refuse bad resourceLimits with an error naming them, failing only that call', async () => {
    makePool({ resourceLimits: () => ({ maxOldGenerationSizeMb: -1 }) });
    await expect(run(inc, 1)).rejects.toThrow(new RangeError('Expected `config.poolResourceLimits.maxOldGenerationSizeMb` to be a finite number > 0, got `-1` (number)'));
  });
});

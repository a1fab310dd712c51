/**
 * The pool's logic, over in-process "threads" (a MessageChannel served in this thread): dispatch,
 * FIFO queueing, cancellation, grace, crashes, idle reaping, close. Real workers: workers.spec.ts.
 */
import { firstValueFrom } from 'rxjs';
import { Pending } from '../../../lib/Pending';
import { ThreadPool, type ThreadPoolOptions } from '../../../schedulers/threads/ThreadPool';
import { threadModule } from '../../../schedulers/threads/threadModule';
import { inProcessSpawner } from '../../helpers/inProcessThread';
import * as local from '../../helpers/inProcessTasks';
import { takeReports } from '../../helpers/reports';

const tasks = threadModule<typeof local>(require.resolve('../../helpers/inProcessTasks'));

describe('ThreadPool (in-process threads)', () => {
  let spawner: ReturnType<typeof inProcessSpawner>;
  let pool: ThreadPool;

  function makePool(options?: Omit<ThreadPoolOptions, 'spawn'>): ThreadPool {
    spawner = inProcessSpawner();
    pool = new ThreadPool({ maxThreads: 2, ...options, spawn: spawner });
    return pool;
  }

  function run<T>(task: unknown, ...args: unknown[]): Pending<T> {
    const pending = new Pending<T>();
    pool.run(task as never, args, pending as Pending<unknown>);
    return pending;
  }

  beforeEach(() => local.reset());
  afterEach(async () => {
    await pool?.close();
    await spawner?.terminateAll();
  });

  it('should run a module task and settle the pending with its value', async () => {
    makePool();
    await expect(run(tasks.echo, { a: [1, 2] })).resolves.toEqual({ a: [1, 2] });
  });

  it('should run a self-contained function sent as source', async () => {
    makePool();
    await expect(run((a: number, b: number) => a * b, 6, 7)).resolves.toBe(42);
  });

  it('should start threads only up to maxThreads and queue the rest in FIFO order', async () => {
    makePool({ maxThreads: 1 });
    const calls = ['a', 'b', 'c', 'd'].map((name) => run<string>(tasks.label, name));
    await Promise.all(calls);
    expect(local.started).toEqual(['a', 'b', 'c', 'd']);
    expect(spawner.threads).toHaveLength(1);
  });

  it('should spread calls over idle threads before piling them on a busy one', async () => {
    makePool({ maxThreads: 2 });
    const a = run(tasks.held, 'a');
    const b = run(tasks.held, 'b');
    await Promise.all([local.whenStarted('a'), local.whenStarted('b')]);
    expect(spawner.threads).toHaveLength(2);
    local.gate('a').open();
    local.gate('b').open();
    await expect(Promise.all([a, b])).resolves.toEqual(['a', 'b']);
  });

  it('should keep calls beyond every thread’s capacity in the pool queue, in order', async () => {
    makePool({ maxThreads: 1 });
    // 64 calls fill the one thread; the rest wait in the pool.
    const labels = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const calls = labels.map((name) => run<string>(tasks.label, name));
    await Promise.all(calls);
    expect(local.started).toEqual(labels);
  });

  it('should reject with the task error, keeping class name, message and cause', async () => {
    makePool();
    const error = await run(tasks.fail, 'bad input').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error?.message).toBe('bad input');
    expect((error?.cause as Error).message).toBe('deeper');
    expect(error?.stack).toContain('bad input');
  });

  it('should fail a call whose argument cannot be cloned, and only that call', async () => {
    makePool({ maxThreads: 1 });
    const good = run(tasks.echo, 1);
    const bad = run(tasks.echo, () => 1);
    const after = run(tasks.echo, 3);
    await expect(bad).rejects.toThrow(/could not be sent to the worker/);
    await expect(Promise.all([good, after])).resolves.toEqual([1, 3]);
  });

  it('should fail a call whose result cannot be cloned, and leave the thread serving', async () => {
    makePool({ maxThreads: 1 });
    await expect(run(tasks.returnsFunction)).rejects.toThrow(/result of this thread call could not be sent back/);
    await expect(run(tasks.echo, 'still here')).resolves.toBe('still here');
    expect(spawner.threads).toHaveLength(1);
  });

  it('should cancel a queued call at once, without sending it', async () => {
    makePool({ maxThreads: 1 });
    const calls = Array.from({ length: 64 }, (_, i) => run(tasks.held, `h${i}`));
    const queued = run(tasks.label, 'queued');
    expect(queued.cancel('not needed')).toBe(true);
    expect(queued.state).toBe('cancelled');
    for (let i = 0; i < 64; i++) local.gate(`h${i}`).open();
    await Promise.all(calls);
    expect(local.started).not.toContain('queued');
  });

  it('should take back a sent call the thread has not begun, and settle it cancelled at once', async () => {
    makePool({ maxThreads: 1 });
    const first = run(tasks.label, 'first');
    const second = run(tasks.label, 'second');
    // Both are on the thread's link; neither message has been delivered yet.
    second.cancel('changed my mind');
    expect(second.state).toBe('cancelled');
    await expect(first).resolves.toBe('first');
    expect(local.started).toEqual(['first']);
  });

  it('should carry the cancel into a running task: its signal aborts and the call ends cancelled', async () => {
    makePool();
    const call = run(tasks.heldUntilAborted, 'x');
    await local.whenStarted('x');
    call.cancel('stop it');
    expect(call.state).toBe('cancelling');
    await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
    expect(call.state).toBe('cancelled');
  });

  it('should terminate and replace a thread whose cancelled task ignores its signal past the grace period', async () => {
    makePool({ maxThreads: 1, cancelGrace: () => 5 });
    const call = run(tasks.stuck, 'stuck');
    await local.whenStarted('stuck');
    const exited = firstValueFrom(pool._threadExits);
    call.cancel('stop');
    expect(call.state).toBe('cancelling');
    await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
    await exited;
    await expect(run(tasks.label, 'next')).resolves.toBe('next');
    expect(spawner.threads).toHaveLength(2);
  });

  it('should rerun elsewhere the calls a killed thread had not begun', async () => {
    makePool({ maxThreads: 1, cancelGrace: () => 0 });
    const call = run(tasks.stuck, 'stuck');
    await local.whenStarted('stuck');
    // The thread reads nothing more: the later calls wait on its link, not begun, when it is killed.
    spawner.threads[0]!.hold();
    call.cancel('stop');
    const after = Array.from({ length: 3 }, (_, i) => run<string>(tasks.label, `a${i}`));
    await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
    await expect(Promise.all(after)).resolves.toEqual(['a0', 'a1', 'a2']);
  });

  it('should reject the calls a crashed thread had begun with WorkerCrashedError, and rerun the others', async () => {
    makePool({ maxThreads: 1 });
    const begun = run(tasks.held, 'begun');
    await local.whenStarted('begun');
    const waiting = Array.from({ length: 3 }, (_, i) => run(tasks.label, `w${i}`));
    spawner.threads[0]!.crash(new Error('simulated crash'));
    await expect(begun).rejects.toMatchObject({ name: 'WorkerCrashedError' });
    await expect(begun).rejects.toThrow(/crashed: Error: simulated crash/);
    await expect(Promise.all(waiting)).resolves.toEqual(['w0', 'w1', 'w2']);
    expect(spawner.threads).toHaveLength(2);
  });

  it('should not let an idle thread whose slots are all taken take a waiting call from a busy one', async () => {
    makePool({ maxThreads: 2 });
    const a0 = run(tasks.held, 'a0');
    const b0 = run(tasks.held, 'b0');
    await Promise.all([local.whenStarted('a0'), local.whenStarted('b0')]);
    local.gate('a0').open();
    await a0;
    const [a, b] = spawner.threads;
    // Thread A stops reading. Of the 64 calls it gets, B (once idle) takes back all but the first, one by
    // one; each keeps its slot until A reads past it, so A has one call and no free slot.
    a!.hold();
    const burst = Array.from({ length: 127 }, (_, i) => run<string>(tasks.label, `c${i}`));
    local.gate('b0').open();
    await expect(Promise.all([b0, ...burst.slice(1)])).resolves.toHaveLength(127);
    // B stops reading with three calls on it. Once A's last call is taken back, A is idle but has no slot
    // to give one of them: a call it took would go without one, and would fail with A as one it had begun.
    b!.hold();
    const onB = Array.from({ length: 3 }, (_, i) => run<string>(tasks.label, `b${i}`));
    burst[0]!.cancel('taken back');
    await expect(burst[0]).rejects.toMatchObject({ name: 'PendingCancelled' });
    a!.crash(new Error('simulated crash'));
    b!.resume();
    await expect(Promise.all(onB)).resolves.toEqual(['b0', 'b1', 'b2']);
  });

  it('should send a waiting call once a thread frees the slots of calls taken back from it', async () => {
    makePool({ maxThreads: 1 });
    const taken = Array.from({ length: 64 }, (_, i) => run<string>(tasks.label, `c${i}`));
    // The thread reads nothing yet: its 64 calls are all taken back, and keep their slots until it reads
    // past them. With no free slot, the next call waits in the pool.
    spawner.threads[0]!.hold();
    for (const call of taken) call.cancel('taken back');
    const next = run<string>(tasks.label, 'next');
    await new Promise((resolve) => setImmediate(resolve));
    expect(local.started).toEqual([]);
    // Reading at last, it passes over the calls taken back: their slots are free, and the waiting call goes.
    spawner.threads[0]!.resume();
    await expect(next).resolves.toBe('next');
    expect(local.started).toEqual(['next']);
  });

  it('should drop waiting calls as they are cancelled, not keep them until a thread has room', async () => {
    makePool({ maxThreads: 1 });
    const busy = Array.from({ length: 64 }, (_, i) => run<string>(tasks.held, `h${i}`));
    const waiting = Array.from({ length: 10 }, (_, i) => run<string>(tasks.label, `w${i}`));
    expect(pool._waiting).toBe(10);
    for (const call of waiting) call.cancel('not needed');
    expect(pool._waiting).toBe(0);
    for (let i = 0; i < 64; i++) local.gate(`h${i}`).open();
    await expect(Promise.all(busy)).resolves.toHaveLength(64);
    expect(local.started.filter((label) => label.startsWith('w'))).toEqual([]);
  });

  it('should lose no waiting call when a call failing in the queue cancels another from its callback', async () => {
    const base = inProcessSpawner();
    let spawned = 0;
    // The third thread (the one replacing B) fails to start; the next one starts.
    const spawn = ((options: never) => {
      if (++spawned === 3) throw new Error('no thread for now');
      return base(options);
    }) as unknown as typeof base;
    spawner = Object.assign(spawn, { threads: base.threads, terminateAll: () => base.terminateAll() });
    pool = new ThreadPool({ maxThreads: 2, spawn });
    const busy = Array.from({ length: 128 }, (_, i) => run<string>(tasks.held, `h${i}`));
    const waiting = Array.from({ length: 70 }, (_, i) => run<string>(tasks.label, `w${i}`));
    waiting[0]!.addDoneCallback(() => waiting[1]!.cancel('its neighbour failed'));
    // B dies: its calls fail, and the queue is pumped. The replacement's failure fails w0, whose callback
    // cancels w1 and pumps again, inside the first pump: w2… go to a new thread until both are full.
    const [, b] = spawner.threads;
    b!.crash(new Error('simulated crash'));
    await expect(waiting[0]).rejects.toThrow('no thread for now');
    await expect(waiting[1]).rejects.toMatchObject({ name: 'PendingCancelled' });
    for (let i = 0; i < 128; i++) local.gate(`h${i}`).open();
    await Promise.allSettled(busy);
    await expect(Promise.all(waiting.slice(2))).resolves.toEqual(Array.from({ length: 68 }, (_, i) => `w${i + 2}`));
  });

  it('should fail (not retry) the calls of a thread that died before it started', async () => {
    makePool({ maxThreads: 1 });
    const call = run(tasks.echo, 1);
    spawner.threads[0]!.crash(new Error('no such entry'));
    await expect(call).rejects.toThrow(/failed to start: Error: no such entry/);
  });

  it('should retire a thread that stayed idle for the idle timeout', async () => {
    makePool({ idleTimeout: () => 1 });
    await run(tasks.echo, 1);
    expect(pool.threadCount).toBe(1);
    await firstValueFrom(pool._threadExits);
    expect(pool.threadCount).toBe(0);
    // A later call starts a new thread.
    await expect(run(tasks.echo, 2)).resolves.toBe(2);
  });

  it('should keep at most maxIdle idle threads', async () => {
    makePool({ maxThreads: 2, maxIdle: () => 0, idleTimeout: () => 0 });
    const a = run(tasks.held, 'a');
    const b = run(tasks.held, 'b');
    await Promise.all([local.whenStarted('a'), local.whenStarted('b')]);
    expect(pool.threadCount).toBe(2);
    const exits = firstValueFrom(pool._threadExits);
    local.gate('a').open();
    await a;
    await exits;
    expect(pool.threadCount).toBe(1);
    local.gate('b').open();
    await b;
  });

  it('should cancel queued and running calls and end every thread on close()', async () => {
    makePool({ maxThreads: 1 });
    const running = run(tasks.held, 'r');
    await local.whenStarted('r');
    const queued = Array.from({ length: 70 }, (_, i) => run(tasks.label, `q${i}`));
    await pool.close();
    expect(pool.threadCount).toBe(0);
    expect(running.state).toBe('cancelled');
    expect(queued.every((p) => p.state === 'cancelled')).toBe(true);
    const late = run(tasks.echo, 1);
    expect(late.state).toBe('cancelled');
  });

  it('should throw a TypeError for a task that is neither a ThreadTask nor a function, and settle the pending', () => {
    makePool();
    const pending = new Pending<unknown>();
    expect(() => pool.run(42 as never, [], pending)).toThrow(/Expected `task` to be a ThreadTask/);
    expect(pending.state).toBe('rejected');
  });

  it('should refuse bad options with errors naming them', () => {
    expect(() => new ThreadPool({ maxThreads: 0 })).toThrow(/options.maxThreads/);
    expect(() => new ThreadPool({ cancelGrace: 5 as never })).toThrow(/options.cancelGrace/);
  });

  it('should report nothing for failures someone observed', async () => {
    makePool();
    await run(tasks.fail, 'x').catch(() => {});
    expect(await takeReports()).toEqual([]);
  });
});

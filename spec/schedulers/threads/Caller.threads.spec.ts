/**
 * Threads reached through a Caller: `caller.toThread(...)` and `caller.get({ thread })`, with the pool
 * and the thread callers stopped together with their caller.
 */
import { Caller } from '../../../schedulers/Caller';
import { ThreadCaller } from '../../../schedulers/ThreadCaller';
import { threadModule } from '../../../schedulers/threads/threadModule';
import { PendingGroup } from '../../../lib/PendingGroup';
import type * as Tasks from '../../helpers/tasks';

const tasks = threadModule<typeof Tasks>(require.resolve('../../helpers/tasks'));

describe('Caller threads', () => {
  let caller: Caller;

  beforeEach(() => {
    caller = new Caller({ name: 'owner' });
  });

  afterEach(async () => {
    caller.stop({ force: true });
    await caller.stopped;
  });

  it('should run a module task with toThread and give its value, with metadata naming the task', async () => {
    const pending = caller.toThread(tasks.add, 40, 2);
    expect(pending.metadata).toEqual({ fn: tasks.add, args: [40, 2], caller });
    await expect(pending).resolves.toBe(42);
  });

  it('should run the task inside the worker with its own current caller and current pending', async () => {
    const where = await caller.toThread(tasks.whereAmI);
    expect(where.threadId).toBeGreaterThan(0);
    expect(where.hasPending).toBe(true);
    expect(where.pendingIsCurrent).toBe(true);
    expect(where.caller).toBe(`pool-thread-${where.threadId}`);
  });

  it('should run a self-contained inline function on a thread', async () => {
    await expect(caller.toThread((a: number, b: number) => a * b, 6, 7)).resolves.toBe(42);
  });

  it('should deliver a class instance as structured clone does, a plain object of its data (as its type says)', async () => {
    class Point {
      constructor(readonly x: number) {}
      norm(): number {
        return Math.abs(this.x);
      }
    }
    const arrived = await caller.toThread((p: Point) => p, new Point(-3));
    expect(arrived).toEqual({ x: -3 });
    expect(arrived).not.toBeInstanceOf(Point);
    expect(Object.getPrototypeOf(arrived).constructor.name).toBe('Object');
    expect('norm' in arrived).toBe(false);
  });

  it('should throw a TypeError at once for a task that is neither a ThreadTask nor a function', () => {
    expect(() => caller.toThread(42 as never)).toThrow(TypeError);
  });

  it('should make toThread calls members of the current PendingGroup', async () => {
    const group = new PendingGroup();
    let member: unknown;
    await group.run(() => {
      member = caller.toThread(tasks.add, 1, 2);
    });
    expect((member as { state: string }).state).toBe('fulfilled');
  });

  it('should return an already-cancelled pending from toThread on a stopped caller', async () => {
    caller.stop();
    await caller.stopped;
    const pending = caller.toThread(tasks.add, 1, 2);
    expect(pending.state).toBe('cancelled');
  });

  it('should give a ThreadCaller child from get({ thread }), the same one for the same name', async () => {
    const worker = caller.get({ name: 'w', thread: true });
    expect(worker).toBeInstanceOf(ThreadCaller);
    expect(caller.get({ name: 'w', thread: true })).toBe(worker);
    expect(caller.children.has(worker)).toBe(true);
    await expect(worker.callSoon(tasks.add, 2, 3)).resolves.toBe(5);
    expect(() => caller.get({ name: 'w' })).toThrow(TypeError);
  });

  it('should stop thread children and the pool with the caller, leaving no thread running', async () => {
    const worker = caller.get({ name: 'w2', thread: true });
    await worker.started;
    await caller.toThread(tasks.add, 1, 1);
    const pool = (caller as unknown as { _pool: { threadCount: number } })._pool;
    expect(pool.threadCount).toBeGreaterThan(0);
    caller.stop();
    await caller.stopped;
    expect(worker.state).toBe('stopped');
    expect(pool.threadCount).toBe(0);
    expect(caller.children.size).toBe(0);
  });
});

/**
 * "Infinity means never" for the thread settings (`Caller.CANCEL_GRACE`, `IDLE_WORKER_SHUTDOWN_DURATION`),
 * on the pool over in-process threads with jest's fake timers: no timer fires early (a host timer fires
 * a delay it cannot hold at once), and an idle thread is not polled.
 */
import { Pending } from '../../lib/Pending';
import { ThreadPool, type ThreadPoolOptions } from '../../schedulers/threads/ThreadPool';
import { threadModule } from '../../schedulers/threads/threadModule';
import * as local from '../helpers/inProcessTasks';
import { inProcessSpawner } from '../helpers/inProcessThread';

const tasks = threadModule<typeof local>(require.resolve('../helpers/inProcessTasks'));
const YEAR = 365 * 24 * 3600 * 1000;

describe('ThreadPool settings of Infinity', () => {
  let spawner: ReturnType<typeof inProcessSpawner>;
  let pool: ThreadPool;

  function makePool(options: Omit<ThreadPoolOptions, 'spawn'>): void {
    spawner = inProcessSpawner();
    pool = new ThreadPool({ maxThreads: 1, ...options, spawn: spawner });
  }

  function run<T>(task: unknown, ...args: unknown[]): Pending<T> {
    const pending = new Pending<T>();
    pool.run(task as never, args, pending as Pending<unknown>);
    return pending;
  }

  beforeEach(() => {
    local.reset();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });

  afterEach(async () => {
    jest.useRealTimers();
    await pool.close();
    await spawner.terminateAll();
  });

  it('should never terminate the thread of a cancelled call that ignores its signal when the grace is Infinity', async () => {
    makePool({ cancelGrace: () => Infinity });
    const call = run(tasks.stuck, 'stuck');
    await local.whenStarted('stuck');
    call.cancel('stop');
    jest.advanceTimersByTime(YEAR);
    expect(call.state).toBe('cancelling');
    expect(pool.threadCount).toBe(1);
    expect(pool._threadIds).toHaveLength(1);
  });

  it('should keep an idle thread without any timer when the idle timeout is Infinity (or 0)', async () => {
    for (const idle of [Infinity, 0]) {
      makePool({ idleTimeout: () => idle });
      await expect(run(tasks.echo, 1)).resolves.toBe(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(YEAR);
      expect(pool._threadIds).toHaveLength(1);
      await pool.close();
    }
  });

  it('should retire an idle thread after a finite idle timeout (the same check can fail)', async () => {
    makePool({ idleTimeout: () => 1000 });
    await expect(run(tasks.echo, 1)).resolves.toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(1000);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool._threadIds).toHaveLength(0);
  });
});

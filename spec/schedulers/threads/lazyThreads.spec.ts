/**
 * Caller reaches the thread code without importing it: `toThread` loads the pool's module on first use
 * (a dynamic `import()`), and `get({ thread })` / `get({ process })` use the kinds that ThreadCaller.ts
 * and ProcessCaller.ts register when loaded. Each test loads Caller in a fresh module registry, as an app
 * that never imported the thread code.
 */
import type { Caller as CallerClass } from '../../../schedulers/Caller';
import type { ThreadModule } from '../../../schedulers/threads/threadModule';
import type { ThreadPool } from '../../../schedulers/threads/ThreadPool';
import type * as Tasks from '../../helpers/tasks';

type CallerModule = typeof import('../../../schedulers/Caller');
type ThreadModuleFn = typeof import('../../../schedulers/threads/threadModule').threadModule;
type TaskModule = ThreadModule<typeof Tasks>;

/** A Caller class and threadModule from a module registry of their own (nothing of the thread layer loaded). */
function freshCaller(): { Caller: typeof CallerClass; tasks: TaskModule } {
  let loaded: { Caller: typeof CallerClass; tasks: TaskModule } | undefined;
  jest.isolateModules(() => {
    const { Caller } = require('../../../schedulers/Caller') as CallerModule;
    const { threadModule } = require('../../../schedulers/threads/threadModule') as { threadModule: ThreadModuleFn };
    loaded = { Caller, tasks: threadModule<typeof Tasks>(require.resolve('../../helpers/tasks')) };
  });
  return loaded!;
}

function poolOf(caller: CallerClass): ThreadPool | undefined {
  return (caller as unknown as { _pool: ThreadPool | undefined })._pool;
}

describe('Caller without the thread code loaded', () => {
  const callers: CallerClass[] = [];

  afterEach(async () => {
    for (const caller of callers.splice(0)) {
      caller.stop({ force: true });
      await caller.stopped;
    }
  });

  function make(Caller: typeof CallerClass): CallerClass {
    const caller = new Caller({ name: 'lazy' });
    callers.push(caller);
    return caller;
  }

  it('should not have loaded the thread pool before toThread, and run calls made while it loads, in order', async () => {
    const { Caller, tasks } = freshCaller();
    const caller = make(Caller);
    const first = caller.toThread(tasks.add, 1, 2);
    const second = caller.toThread(tasks.add, 3, 4);
    expect(poolOf(caller)).toBeUndefined();
    expect(first.state).toBe('pending');
    await expect(Promise.all([first, second])).resolves.toEqual([3, 7]);
    expect(poolOf(caller)).toBeDefined();
  });

  it('should settle a call cancelled while the thread code loads at once, and never start it', async () => {
    const { Caller, tasks } = freshCaller();
    const caller = make(Caller);
    const cancelled = caller.toThread(tasks.add, 1, 2);
    expect(cancelled.cancel('changed my mind')).toBe(true);
    expect(cancelled.state).toBe('cancelled');
    await expect(caller.toThread(tasks.add, 2, 2)).resolves.toBe(4);
  });

  it('should cancel calls waiting for the thread code when the caller stops, and settle stopped', async () => {
    const { Caller, tasks } = freshCaller();
    const caller = make(Caller);
    const waiting = caller.toThread(tasks.add, 1, 2);
    caller.stop();
    expect(waiting.state).toBe('cancelled');
    await caller.stopped;
    expect(caller.state).toBe('stopped');
    expect(poolOf(caller)).toBeUndefined();
  });

  it('should refuse a bad task at once, before the thread code has loaded', () => {
    const { Caller } = freshCaller();
    const caller = make(Caller);
    expect(() => caller.toThread(42 as never)).toThrow(TypeError);
  });

  it('should explain that get({ thread }) and get({ process }) need ThreadCaller and ProcessCaller imported', () => {
    const { Caller } = freshCaller();
    const caller = make(Caller);
    expect(() => caller.get({ thread: true })).toThrow(/needs ThreadCaller, which this app never loaded: import \{ ThreadCaller \}/);
    expect(() => caller.get({ process: true })).toThrow(/needs ProcessCaller, which this app never loaded: import \{ ProcessCaller \}/);
    expect(caller.children.size).toBe(0);
  });
});

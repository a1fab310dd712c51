/**
 * Caller reaches the thread code without importing it: `toThread` runs on the pool that the thread layer
 * registers when loaded (threadTask, threadModule, transfer or the schedulers entry), and
 * `get({ thread | process })` on the kinds ThreadCaller.ts and ProcessCaller.ts register. Each test loads
 * modules in a fresh registry, as a bundled app that imports only what it names.
 */
import type { Caller as CallerClass } from '../../../schedulers/Caller';
import type * as Tasks from '../../helpers/tasks';

type Modules = {
  Caller: typeof CallerClass;
  /** The other modules asked for, by path. */
  loaded: Record<string, unknown>;
};

/** Caller, and the modules at `paths`, from a registry of their own. */
function freshRegistry(...paths: string[]): Modules {
  let modules: Modules | undefined;
  jest.isolateModules(() => {
    const { Caller } = require('../../../schedulers/Caller') as typeof import('../../../schedulers/Caller');
    modules = { Caller, loaded: Object.fromEntries(paths.map((path) => [path, require(path) as unknown])) };
  });
  return modules!;
}

describe('thread layer registration', () => {
  const callers: CallerClass[] = [];

  afterEach(async () => {
    for (const caller of callers.splice(0)) {
      caller.stop({ force: true });
      await caller.stopped;
    }
  });

  function make({ Caller }: Modules): CallerClass {
    const caller = new Caller({ name: 'registry' });
    callers.push(caller);
    return caller;
  }

  it('should explain what to import when toThread finds no thread pool loaded', () => {
    const caller = make(freshRegistry());
    expect(() => caller.toThread((a: number) => a, 1)).toThrow(/toThread\(\) needs the thread pool, which this app's bundle left out: import 'rxjs-caller\/schedulers'/);
  });

  it('should explain what to import when get({ thread }) or get({ process }) finds its kind not loaded', () => {
    const caller = make(freshRegistry());
    expect(() => caller.get({ thread: true })).toThrow(/needs ThreadCaller, which this app never loaded: import \{ ThreadCaller \}/);
    expect(() => caller.get({ process: true })).toThrow(/needs ProcessCaller, which this app never loaded: import \{ ProcessCaller \}/);
    expect(caller.children.size).toBe(0);
  });

  it('should run toThread calls once threadTask (which brings the pool) is loaded', async () => {
    const modules = freshRegistry('../../../schedulers/threads/threadModule');
    const { threadModule } = modules.loaded['../../../schedulers/threads/threadModule'] as typeof import('../../../schedulers/threads/threadModule');
    const tasks = threadModule<typeof Tasks>(require.resolve('../../helpers/tasks'));
    await expect(make(modules).toThread(tasks.add, 40, 2)).resolves.toBe(42);
  });

  it('should make thread children once ThreadCaller is loaded', () => {
    const modules = freshRegistry('../../../schedulers/ThreadCaller');
    const { ThreadCaller } = modules.loaded['../../../schedulers/ThreadCaller'] as typeof import('../../../schedulers/ThreadCaller');
    const caller = make(modules);
    const child = caller.get({ name: 'registered', thread: true });
    expect(child).toBeInstanceOf(ThreadCaller);
    expect(caller.get({ name: 'registered', thread: true })).toBe(child);
  });

  it('should bring every kind and the pool with the schedulers entry', async () => {
    const modules = freshRegistry('../../../schedulers/index');
    const entry = modules.loaded['../../../schedulers/index'] as typeof import('../../../schedulers/index');
    const caller = make(modules);
    expect(caller.get({ name: 'thread', thread: true })).toBeInstanceOf(entry.ThreadCaller);
    await expect(caller.toThread((a: number, b: number) => a * b, 6, 7)).resolves.toBe(42);
  });
});

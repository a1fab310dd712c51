/** runSync: blocks this thread on a worker thread's answer. */
import { _closeRunSyncThread, runSync } from '../../../schedulers/threads/runSync';
import { threadModule } from '../../../schedulers/threads/threadModule';
import type * as Tasks from '../../helpers/tasks';

const tasks = threadModule<typeof Tasks>(require.resolve('../../helpers/tasks'));

describe('runSync', () => {
  afterEach(() => _closeRunSyncThread());

  it('should return the value of a module task, synchronously', () => {
    const sum: number = runSync(tasks.add, 2, 3);
    expect(sum).toBe(5);
  });

  it('should return the awaited value of an async task and of an inline function', () => {
    expect(runSync(tasks.addLater, 20, 22)).toBe(42);
    expect(runSync(async (s: string) => `${s}!`, 'done')).toBe('done!');
  });

  it('should throw the task’s error with its class, message and cause', () => {
    let error: unknown;
    try {
      runSync(tasks.fail, 'sync failure');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toMatchObject({ message: 'sync failure', cause: { name: 'TaskFailure' } });
  });

  it('should throw WorkerCrashedError when the thread dies, and work again after', () => {
    expect(() => runSync(tasks.exitThread, 2)).toThrow(expect.objectContaining({ name: 'WorkerCrashedError' }));
    expect(runSync(tasks.add, 1, 1)).toBe(2);
  });

  it('should throw a TypeError for arguments that cannot be cloned', () => {
    expect(() => runSync(tasks.add as never, (() => 1) as never, 2 as never)).toThrow(/could not be sent to the worker/);
  });
});

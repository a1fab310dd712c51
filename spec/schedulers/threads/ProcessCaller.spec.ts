/**
 * ProcessCaller: a child caller in its own child process (started through tsx, like the worker
 * threads), over the same protocol as ThreadCaller. Real processes, each terminated in afterEach;
 * synchronised with calls back to this process, never with sleeps.
 */
import { fork } from 'node:child_process';
import { lastValueFrom, take, toArray } from 'rxjs';
import { Caller } from '../../../schedulers/Caller';
import { ProcessCaller } from '../../../schedulers/ProcessCaller';
import { ThreadCaller } from '../../../schedulers/ThreadCaller';
import { threadModule } from '../../../schedulers/threads/threadModule';
import { transfer } from '../../../schedulers/threads/transfer';
import * as back from '../../helpers/backTasks';
import { gate, reset } from '../../helpers/inProcessTasks';
import type * as Tasks from '../../helpers/tasks';

const tasks = threadModule<typeof Tasks>(require.resolve('../../helpers/tasks'));
const backTasks = threadModule<typeof back>(require.resolve('../../helpers/backTasks'));

/** Whether a process with this id is still there. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('ProcessCaller', () => {
  let owner: Caller;
  let child: ProcessCaller | undefined;

  beforeEach(() => {
    reset();
    back.mainPendings.clear();
    owner = new Caller({ name: 'owner' });
  });

  afterEach(async () => {
    child?.stop({ force: true });
    await child?.stopped;
    child = undefined;
    owner.stop({ force: true });
    await owner.stopped;
  });

  it('should go initial → running → stopping → stopped, running calls in a process of its own', async () => {
    child = owner.get({ name: 'proc', process: true });
    expect(child).toBeInstanceOf(ProcessCaller);
    expect(child.state).toBe('initial');
    expect(child.parent).toBe(owner);
    expect(owner.children.has(child)).toBe(true);
    await child.started;
    expect(child.state).toBe('running');
    expect(String(child)).toMatch(/^<ProcessCaller 🏃 running name='proc' id=\d+ pid=\d+>$/);
    const where = await child.callSoon(backTasks.whereAmI);
    expect(where).toEqual({ threadId: 0, pid: child.pid, caller: 'proc', pendingIsCurrent: true });
    expect(where.pid).not.toBe(process.pid);
    await expect(child.callSoon((a: number, b: number) => a * b, 6, 7)).resolves.toBe(42);
    await expect(child.callLater(1, tasks.add, 40, 2)).resolves.toBe(42);
    expect(child.stop()).toBe(child.stopped);
    expect(child.state).toBe('stopping');
    await child.stopped;
    expect(child.state).toBe('stopped');
    expect(alive(child.pid!)).toBe(false);
    await expect(child.callSoon(tasks.add, 1, 2)).rejects.toMatchObject({ name: 'PendingCancelled' });
    await expect(lastValueFrom(child.observe(tasks.countTo, 1))).rejects.toMatchObject({ name: 'CallerStoppedError' });
  });

  it('should stream values, stop the stream in the child on unsubscribe, and bring errors back rebuilt', async () => {
    child = owner.get({ name: 'streams', process: true });
    await expect(lastValueFrom(child.observe(tasks.countTo, 3).pipe(toArray()))).resolves.toEqual([1, 2, 3]);
    await expect(lastValueFrom(child.observe(backTasks.endless, 'e').pipe(take(2), toArray()))).resolves.toEqual([0, 1]);
    await gate('unsubscribed:e').opened;
    const error = (await child.callSoon(tasks.fail, 'out of range').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toMatchObject({ message: 'out of range', cause: { name: 'TaskFailure', message: 'the root cause' } });
  });

  it('should copy transferred buffers, the sender keeping its own', async () => {
    child = owner.get({ name: 'copies', process: true });
    const buffer = new ArrayBuffer(64);
    new Uint8Array(buffer).fill(2);
    await expect(child.callSoon(tasks.sumBytes, transfer(buffer, [buffer]))).resolves.toBe(128);
    expect(buffer.byteLength).toBe(64);
    const made = await child.callSoon(tasks.makeBuffer, 8);
    expect(new Uint8Array(made)).toEqual(new Uint8Array(8).fill(7));
  });

  it('should carry a cancel to the task’s signal in the child', async () => {
    child = owner.get({ name: 'cancel', process: true });
    const call = child.callSoon(backTasks.waitForAbort, 'w');
    await gate('started:w').opened;
    call.cancel('enough');
    await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
    await expect(child.callSoon(tasks.add, 1, 1)).resolves.toBe(2);
  });

  it('should give the child Caller.main() and Caller.current().parent, and carry cancellation through them', async () => {
    child = owner.get({ name: 'asks', process: true });
    await expect(child.callSoon(backTasks.askMain)).resolves.toMatchObject({ where: { pid: process.pid, threadId: 0, caller: 'main' } });
    await expect(child.callSoon(backTasks.askParent)).resolves.toMatchObject({ where: { pid: process.pid, caller: 'owner' }, handle: "<CallerHandle parent name='owner'>" });
    const call = child.callSoon(backTasks.relayHold, 'p');
    await back.started('p');
    call.cancel('enough');
    await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
    await expect(back.mainPendings.get('p')).rejects.toMatchObject({ name: 'PendingCancelled' });
  });

  it('should reject the calls of a child that calls process.exit with WorkerCrashedError, and stop', async () => {
    child = owner.get({ name: 'fragile', process: true });
    const crash = child.callSoon(backTasks.exitProcess, 5);
    const queued = child.callSoon(tasks.add, 1, 2);
    await expect(crash).rejects.toMatchObject({ name: 'WorkerCrashedError' });
    await expect(crash).rejects.toThrow(/child process of ProcessCaller 'fragile' exited with code 5/);
    await expect(queued).rejects.toMatchObject({ name: 'WorkerCrashedError' });
    await child.stopped;
    expect(child.state).toBe('stopped');
  });

  it('should kill a child stuck in a synchronous loop on stop({ force: true })', async () => {
    child = owner.get({ name: 'stuck', process: true });
    const call = child.callSoon(backTasks.spinForever, 's');
    await gate('started:s').opened;
    child.stop({ force: true });
    await child.stopped;
    expect(call.state).toBe('cancelled');
    expect(alive(child.pid!)).toBe(false);
  });

  it('should stop with its parent, ending the process', async () => {
    child = owner.get({ name: 'family', process: true });
    await child.started;
    owner.stop();
    await owner.stopped;
    expect(child.state).toBe('stopped');
    expect(owner.children.size).toBe(0);
    expect(alive(child.pid!)).toBe(false);
  });

  it('should end the child process when its parent process dies', async () => {
    // Only the pipe is shared with the child (through the parent): a child left behind holds nothing of jest's.
    const parent = fork(require.resolve('../../helpers/processParent'), [], { execArgv: ['--require', require.resolve('tsx/cjs')], stdio: ['ignore', 'pipe', 'ignore', 'ipc'] });
    let pid: number | undefined;
    try {
      const stdout = parent.stdout!;
      stdout.setEncoding('utf8');
      // The pipe ends once every process holding it has gone: the parent, and the child it started.
      const ended = new Promise<void>((resolve) => stdout.on('end', resolve));
      pid = await new Promise<number>((resolve) => stdout.once('data', (line: string) => resolve(Number(line))));
      expect(alive(pid)).toBe(true);
      parent.kill('SIGKILL');
      // (Once ended, the child may linger as a zombie until reaped: `alive` cannot tell, the pipe can.)
      await ended;
    } finally {
      parent.kill('SIGKILL');
      // Should the test fail, the child must not outlive it.
      if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGKILL');
      parent.stdout!.destroy();
    }
  });

  it('should fail its calls with WorkerCrashedError when the process cannot start', async () => {
    child = owner.get({ name: 'nowhere', process: { cwd: '/no/such/directory' } });
    await expect(child.callSoon(tasks.add, 1, 2)).rejects.toThrow(/child process of ProcessCaller 'nowhere' failed to start or crashed/);
    await child.stopped;
    expect(child.started.state).toBe('cancelled');
  });

  describe('through Caller.get()', () => {
    it('should return the existing child of that name, and refuse one of another kind', () => {
      const fake = new ProcessCaller({ name: 'p', parent: owner, spawn: fakeSpawn });
      owner._adoptChild(fake);
      expect(owner.get({ name: 'p', process: true })).toBe(fake);
      expect(owner.get({ name: 'p', process: {} })).toBe(fake);
      expect(() => owner.get({ name: 'p', thread: true })).toThrow(/is not a thread caller/);
      expect(() => owner.get({ name: 'p' })).toThrow(/is not a same-thread caller/);
      const sameThread = owner.get({ name: 'c' });
      expect(() => owner.get({ name: 'c', process: true })).toThrow(/is not a process caller/);
      expect(sameThread).not.toBeInstanceOf(ThreadCaller);
      fake.stop({ force: true });
    });

    it('should refuse bad options, naming them', () => {
      expect(() => owner.get({ process: 'yes' as never })).toThrow(/Expected `options.process` to be true or a ProcessOptions object, got `"yes"` \(string\)/);
      expect(() => owner.get({ process: true, thread: true } as never)).toThrow(/got both/);
      expect(() => owner.get({ process: { execArgv: '--inspect' as never } })).toThrow(/Expected `options.process.execArgv` to be an array of strings/);
      expect(() => owner.get({ process: { cwd: 3 as never } })).toThrow(/options.process.cwd/);
      expect(() => new ProcessCaller({ name: 1 as never, parent: owner })).toThrow(/options.name/);
      expect(owner.children.size).toBe(0);
    });
  });
});

/** A child process that never starts and exits when terminated: for tests of Caller.get() alone. */
function fakeSpawn(): ReturnType<NonNullable<ConstructorParameters<typeof ProcessCaller>[0]['spawn']>> {
  let onExit: ((code: number, error: unknown) => void) | undefined;
  return {
    pid: undefined,
    endpoint: { postMessage() {}, listen: () => () => {} },
    onExit: (listener) => (onExit = listener),
    terminate: () => {
      onExit?.(0, undefined);
      return Promise.resolve();
    },
    ref() {},
    unref() {},
  };
}

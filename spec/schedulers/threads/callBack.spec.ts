/**
 * Calls a worker makes back to the thread that started it: `Caller.main()` and `Caller.current().parent`
 * inside pool workers and ThreadCaller threads, on real worker threads. Synchronised with gates the
 * main-side tasks open, never with sleeps.
 */
import { lastValueFrom, toArray } from 'rxjs';
// The schedulers entry, as an app imports it: it carries ThreadCaller, which `get({ thread })` needs.
import { Caller } from '../../../schedulers/index';
import { _closeRunSyncThread, runSync } from '../../../schedulers/threads/runSync';
import { threadModule } from '../../../schedulers/threads/threadModule';
import * as back from '../../helpers/backTasks';
import { reset } from '../../helpers/inProcessTasks';

const tasks = threadModule<typeof back>(require.resolve('../../helpers/backTasks'));

describe('calls back from a worker', () => {
  let owner: Caller;

  beforeEach(() => {
    reset();
    back.mainPendings.clear();
    owner = new Caller({ name: 'owner' });
  });

  afterEach(async () => {
    owner.stop({ force: true });
    await owner.stopped;
    await _closeRunSyncThread();
  });

  describe('from a pool worker', () => {
    it('should run a module task sent to Caller.main() on the main thread’s caller', async () => {
      const { where, handle, here } = await owner.toThread(tasks.askMain);
      expect(here).toBeGreaterThan(0);
      expect(where).toEqual({ threadId: 0, pid: process.pid, caller: 'main', pendingIsCurrent: true });
      expect(handle).toBe("<CallerHandle main name='main'>");
    });

    it('should run inline functions and callLater calls sent to Caller.main()', async () => {
      await expect(owner.toThread(tasks.askMainInline, 20)).resolves.toBe(42);
      await expect(owner.toThread(tasks.askMainLater, 40, 2)).resolves.toBe(42);
    });

    it('should run calls on Caller.current().parent on the caller that owns the pool', async () => {
      const { where, handle } = await owner.toThread(tasks.askParent);
      expect(where).toMatchObject({ threadId: 0, caller: 'owner' });
      expect(handle).toBe("<CallerHandle parent name='owner'>");
    });

    it('should carry the cancellation of the pool call to the main-side call it waits on', async () => {
      const call = owner.toThread(tasks.relayHold, 'pool');
      await back.started('pool');
      const mainSide = back.mainPendings.get('pool')!;
      expect(mainSide.state).toBe('pending');
      call.cancel('enough');
      await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
      await expect(mainSide).rejects.toMatchObject({ name: 'PendingCancelled' });
      expect(mainSide.state).toBe('cancelled');
      expect(mainSide.signal.aborted).toBe(true);
    });

    it('should bring the main side’s error to the worker with its class, message and cause', async () => {
      await expect(owner.toThread(tasks.catchFromMain, 'no such row')).resolves.toEqual({ name: 'RangeError', message: 'no such row', isRangeError: true, cause: 'main-side cause' });
    });
  });

  describe('from a ThreadCaller’s thread', () => {
    it('should run calls on Caller.current().parent on the ThreadCaller’s parent, and Caller.main() on the main caller', async () => {
      const worker = owner.get({ name: 'w', thread: true });
      await expect(worker.callSoon(tasks.askParent)).resolves.toMatchObject({ where: { threadId: 0, caller: 'owner', pendingIsCurrent: true }, handle: "<CallerHandle parent name='owner'>" });
      await expect(worker.callSoon(tasks.askMain)).resolves.toMatchObject({ where: { threadId: 0, caller: 'main' }, here: worker.threadId });
    });

    it('should cancel the main-side call when the ThreadCaller call waiting on it is cancelled', async () => {
      const worker = owner.get({ name: 'w', thread: true });
      const call = worker.callSoon(tasks.relayHold, 'caller');
      await back.started('caller');
      call.cancel('enough');
      await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
      await expect(back.mainPendings.get('caller')).rejects.toMatchObject({ name: 'PendingCancelled' });
    });

    it('should cancel the main-side calls of a worker that went away', async () => {
      const worker = owner.get({ name: 'w', thread: true });
      const call = worker.callSoon(tasks.relayHold, 'orphan');
      await back.started('orphan');
      worker.stop({ force: true });
      await worker.stopped;
      expect(call.state).toBe('cancelled');
      await expect(back.mainPendings.get('orphan')).rejects.toMatchObject({ name: 'PendingCancelled' });
    });

    it('should stream back what a main-side task streams', async () => {
      const worker = owner.get({ name: 'w', thread: true });
      await expect(lastValueFrom(worker.observe(tasks.streamFromMain, 3).pipe(toArray()))).resolves.toEqual([1, 2, 3]);
    });

    it('should reach the main thread from a thread started by a worker, through its starter', async () => {
      const worker = owner.get({ name: 'w', thread: true });
      const { main, parent, here } = await worker.callSoon(tasks.askFromNestedThread);
      expect(main).toMatchObject({ threadId: 0, caller: 'main' });
      expect(parent).toMatchObject({ threadId: here, caller: 'w' });
      expect(here).toBe(worker.threadId);
    });
  });

  it('should refuse calls back from runSync’s worker, whose starter is blocked', () => {
    expect(() => runSync(tasks.askMainInline, 1)).toThrow(/runSync's worker cannot call back/);
  });
});

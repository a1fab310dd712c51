/**
 * ThreadCaller: a child caller on its own worker thread. Lifecycle, calls, observe, cancellation, stop
 * and crash on real workers; a few checks over an in-process thread.
 */
import { take, toArray, firstValueFrom, lastValueFrom } from 'rxjs';
import { Caller } from '../../../schedulers/Caller';
import { ThreadCaller } from '../../../schedulers/ThreadCaller';
import { threadModule } from '../../../schedulers/threads/threadModule';
import { inProcessSpawner } from '../../helpers/inProcessThread';
import * as local from '../../helpers/inProcessTasks';
import { whenSet } from '../../helpers/shared';
import type * as Tasks from '../../helpers/tasks';

const tasks = threadModule<typeof Tasks>(require.resolve('../../helpers/tasks'));
const localTasks = threadModule<typeof local>(require.resolve('../../helpers/inProcessTasks'));

describe('ThreadCaller', () => {
  let parent: Caller;
  let worker: ThreadCaller | undefined;

  beforeEach(() => {
    parent = new Caller({ name: 'parent' });
  });

  afterEach(async () => {
    worker?.stop({ force: true });
    await worker?.stopped;
    worker = undefined;
    parent.stop({ force: true });
    await parent.stopped;
  });

  describe('on a worker thread', () => {
    it('should go initial → running → stopping → stopped, and end its thread', async () => {
      worker = new ThreadCaller({ name: 'crunch', parent });
      expect(worker.state).toBe('initial');
      expect(worker.parent).toBe(parent);
      expect(String(worker)).toMatch(/^<ThreadCaller 🌱 initial name='crunch' id=\d+>$/);
      await worker.started;
      expect(worker.state).toBe('running');
      expect(worker.running).toBe(true);
      expect(worker.threadId).toBeGreaterThan(0);
      expect(worker.stop()).toBe(worker.stopped);
      expect(worker.state).toBe('stopping');
      expect(worker.stopping.done).toBe(true);
      await worker.stopped;
      expect(worker.state).toBe('stopped');
      expect(worker.stop()).toBe(worker.stopped);
      expect(worker.state).toBe('stopped');
      await expect(worker.callSoon(tasks.add, 1, 2)).rejects.toMatchObject({ name: 'PendingCancelled' });
    });

    it('should run calls on the thread’s own caller, named like the ThreadCaller', async () => {
      worker = new ThreadCaller({ name: 'crunch', parent });
      // Made before the thread is up: the call waits for it.
      const here = await worker.callSoon(tasks.whereAmI);
      expect(here).toMatchObject({ caller: 'crunch', hasPending: true });
      expect(here.threadId).toBe(worker.threadId);
      await expect(worker.callSoon((a: number, b: number) => a - b, 5, 3)).resolves.toBe(2);
      await expect(worker.callSoon(tasks.viaCurrentCaller, 4)).resolves.toBe(8);
    });

    it('should run callLater calls after their delay, in the worker', async () => {
      worker = new ThreadCaller({ name: 'later', parent });
      await expect(worker.callLater(1, tasks.add, 20, 22)).resolves.toBe(42);
      expect(() => worker!.callLater(-1, tasks.add, 1, 1)).toThrow(RangeError);
    });

    it('should stream the values of an async iterable and of an Observable', async () => {
      worker = new ThreadCaller({ name: 'streams', parent });
      await expect(lastValueFrom(worker.observe(tasks.countTo, 4).pipe(toArray()))).resolves.toEqual([1, 2, 3, 4]);
      await expect(lastValueFrom(worker.observe(tasks.countObservable, 3).pipe(toArray()))).resolves.toEqual([1, 2, 3]);
    });

    it('should stop the stream inside the worker when the subscriber unsubscribes', async () => {
      worker = new ThreadCaller({ name: 'streams', parent });
      const stopped = new SharedArrayBuffer(4);
      const firstTwo = await firstValueFrom(worker.observe(tasks.endless, stopped).pipe(take(2), toArray()));
      expect(firstTwo).toEqual([0, 1]);
      await whenSet(stopped);
      expect(Atomics.load(new Int32Array(stopped), 0)).toBe(1);
    });

    it('should error the stream with the task’s error', async () => {
      worker = new ThreadCaller({ name: 'streams', parent });
      await expect(lastValueFrom(worker.observe(tasks.fail, 'stream failed'))).rejects.toMatchObject({ name: 'RangeError', message: 'stream failed' });
    });

    it('should carry a cancel into a synchronous loop on the thread', async () => {
      worker = new ThreadCaller({ name: 'loop', parent });
      const started = new SharedArrayBuffer(4);
      const call = worker.callSoon(tasks.cooperativeLoop, started);
      await whenSet(started);
      call.cancel('enough');
      await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
      // The thread is free again.
      await expect(worker.callSoon(tasks.add, 1, 1)).resolves.toBe(2);
    });

    it('should cancel its running calls when stopped', async () => {
      worker = new ThreadCaller({ name: 'stopping', parent });
      const started = new SharedArrayBuffer(4);
      const call = worker.callSoon(tasks.untilAborted, started);
      await whenSet(started);
      worker.stop();
      await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
      await worker.stopped;
    });

    it('should terminate a thread stuck in while(true) on stop({ force: true })', async () => {
      worker = new ThreadCaller({ name: 'stuck', parent });
      const started = new SharedArrayBuffer(4);
      const call = worker.callSoon(tasks.forever, started);
      await whenSet(started);
      worker.stop({ force: true });
      await worker.stopped;
      expect(call.state).toBe('cancelled');
    });

    it('should reject its calls with WorkerCrashedError and stop when its thread dies', async () => {
      worker = new ThreadCaller({ name: 'fragile', parent });
      const crash = worker.callSoon(tasks.exitThread, 7);
      await expect(crash).rejects.toMatchObject({ name: 'WorkerCrashedError' });
      await expect(crash).rejects.toThrow(/exited with code 7/);
      await worker.stopped;
      expect(worker.state).toBe('stopped');
    });
  });

  describe('over an in-process thread', () => {
    let spawner: ReturnType<typeof inProcessSpawner>;

    beforeEach(() => {
      local.reset();
      spawner = inProcessSpawner();
    });
    afterEach(() => spawner.terminateAll());

    it('should run calls in order on its caller', async () => {
      worker = new ThreadCaller({ name: 'ordered', parent, spawn: spawner });
      const calls = ['a', 'b', 'c'].map((l) => worker!.callSoon(localTasks.label, l));
      await expect(Promise.all(calls)).resolves.toEqual(['a', 'b', 'c']);
      expect(local.started).toEqual(['a', 'b', 'c']);
    });

    it('should not run a call taken back before its thread saw it', async () => {
      worker = new ThreadCaller({ name: 'revoke', parent, spawn: spawner });
      await worker.started;
      const revoked = worker.callSoon(localTasks.label, 'revoked');
      revoked.cancel('changed my mind');
      expect(revoked.state).toBe('cancelled');
      // Calls run in order: had the revoked one run, it would have run before this one.
      await expect(worker.callSoon(localTasks.label, 'after')).resolves.toBe('after');
      expect(local.started).toEqual(['after']);
    });

    it('should settle a call cancelled in flight as cancelled', async () => {
      worker = new ThreadCaller({ name: 'cancel', parent, spawn: spawner });
      const call = worker.callSoon(localTasks.heldUntilAborted, 'x');
      await local.whenStarted('x');
      call.cancel('bye');
      await expect(call).rejects.toMatchObject({ name: 'PendingCancelled' });
    });

    it('should error observers with CallerStoppedError once stopped', async () => {
      worker = new ThreadCaller({ name: 'late', parent, spawn: spawner });
      worker.stop({ force: true });
      await worker.stopped;
      await expect(lastValueFrom(worker.observe(localTasks.echo, 1))).rejects.toMatchObject({ name: 'CallerStoppedError' });
    });

    it('should refuse bad options', () => {
      expect(() => new ThreadCaller({ name: 3 as never, parent })).toThrow(/options.name/);
      expect(() => new ThreadCaller({ name: 'x', parent: null as never })).toThrow(/options.parent/);
    });
  });
});

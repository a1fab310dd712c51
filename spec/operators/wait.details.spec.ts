/**
 * wait() behaviours mutation testing showed no other test pinned (see CONTRIBUTING.md): it emits once and
 * never after it ended, lets go of the members it returns as pending, sets no timer for `timeout: 0` or `Infinity`, and
 * takes a member given twice once.
 */
import { asyncScheduler, config as rxjsConfig, from, of, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { Pending } from '../../lib/Pending.js';
import { wait } from '../../operators/wait.js';
import type { WaitResult } from '../../lib/types.js';

/** asyncScheduler, counting the schedule() calls made on it. */
function countingScheduler(): SchedulerLike & { count: number } {
  const scheduler = {
    count: 0,
    now: () => asyncScheduler.now(),
    schedule<S>(work: (this: SchedulerAction<S>, state?: S) => void, delay?: number, state?: S): Subscription {
      scheduler.count++;
      return asyncScheduler.schedule(work, delay, state);
    },
  };
  return scheduler;
}

describe('wait (details)', () => {
  const onStopped = rxjsConfig.onStoppedNotification;
  afterEach(() => {
    rxjsConfig.onStoppedNotification = onStopped;
  });

  it('should emit once and never after it ended, with timeout 0 and members settled already', async () => {
    const late = jest.fn();
    rxjsConfig.onStoppedNotification = late;
    const settled = new Pending<number>();
    settled.setResult(1);
    const results: WaitResult<number>[] = [];
    of(settled).pipe(wait({ timeout: 0 })).subscribe((r) => results.push(r));
    expect(results).toHaveLength(1);
    expect([...results[0]!.done]).toEqual([settled]);
    // RxJS reports a notification to a stopped subscriber from a timer.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(late).not.toHaveBeenCalled();
  });

  it('should set no timer for timeout 0', () => {
    const scheduler = countingScheduler();
    of(new Pending<number>()).pipe(wait({ timeout: 0, scheduler })).subscribe();
    expect(scheduler.count).toBe(0);
  });

  it('should set no timer for timeout Infinity (a host timer waiting forever would keep the process alive)', () => {
    const scheduler = countingScheduler();
    const subscription = of(new Pending<number>()).pipe(wait({ timeout: Infinity, scheduler })).subscribe();
    expect(scheduler.count).toBe(0);
    subscription.unsubscribe();
  });

  it('should let go of the members it returns as still pending', () => {
    const fast = new Pending<number>();
    const slow = new Pending<number>();
    let result: WaitResult<number> | undefined;
    from([fast, slow])
      .pipe(wait({ returnWhen: 'FIRST_COMPLETED' }))
      .subscribe((r) => (result = r));
    fast.setResult(1);
    expect([...result!.pending]).toEqual([slow]);
    // Nothing of wait's stays registered on the member it no longer waits for.
    expect(slow._listeners).toBeUndefined();
  });

  it('should let go of its members when unsubscribed before it returned', () => {
    const open = new Pending<number>();
    from([open]).pipe(wait()).subscribe().unsubscribe();
    expect(open._listeners).toBeUndefined();
    expect(open.state).toBe('pending');
  });

  it('should take a member given twice once, settled or not', () => {
    const settled = new Pending<number>();
    settled.setResult(1);
    const open = new Pending<number>();
    let result: WaitResult<number> | undefined;
    from([settled, open, settled, open])
      .pipe(wait())
      .subscribe((r) => (result = r));
    expect(open._listeners).not.toBeInstanceOf(Array);
    open.setResult(2);
    expect([...result!.done]).toEqual([settled, open]);
    expect(result!.pending.size).toBe(0);
  });
});

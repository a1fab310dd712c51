/**
 * The shared asap rounds (schedulers/internal/asapRounds.ts) under the callers of the 'asap' backend: one
 * microtask runs a batch of every caller that asked, a failing batch does not stop the others, and a long
 * round yields to the host event loop once it has run for its time slice. Time is a clock the test moves
 * (Date.now, which asapScheduler reads): no timing assertion.
 */
import type { Pending } from '../../lib/Pending.js';
import { Caller } from '../../schedulers/Caller.js';
import { requestBatch } from '../../schedulers/internal/asapRounds.js';
import { deferred, flushMicrotasks, stopAllCallers } from '../helpers/callers.js';
import { takeReports } from '../helpers/reports.js';
import { within } from '../helpers/within.js';

describe('asap rounds', () => {
  afterEach(() => jest.restoreAllMocks());

  it('should run every waiting batch in one microtask, a failing one reported without stopping the others', async () => {
    const failure = new Error('drain failed');
    const ran: string[] = [];
    requestBatch({ _drain: () => ran.push('a') });
    requestBatch({
      _drain: () => {
        throw failure;
      },
    });
    requestBatch({ _drain: (inRound) => ran.push(`c ${inRound}`) });
    expect(ran).toEqual([]);
    await flushMicrotasks(1);
    expect(ran).toEqual(['a', 'c true']);
    expect((await takeReports()).map((r) => r.error)).toEqual([failure]);
  });

  it.each([
    ['at 0, a time like any other', -1],
    ['at 100', 99],
  ])('should yield to the event loop once a round has run for 5 ms, and go on where it stopped (first read %s)', async (_label, startClock) => {
    // Each batch moves the clock on by 1/128 ms (exact in binary). The clock is read every 128 batches;
    // the first read starts the slice, which is used up 5 ms later: at the 768th batch.
    let clock = startClock;
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    let ran = 0;
    const allRan = deferred();
    for (let i = 0; i < 1000; i++) {
      requestBatch({
        _drain: () => {
          clock += 1 / 128;
          if (++ran === 1000) allRan.resolve();
        },
      });
    }
    await flushMicrotasks();
    expect(ran).toBe(768);
    await within(allRan.promise);
    expect(ran).toBe(1000);
  });

  it('should not yield when the slice ends with the last waiting batch, so the next request gets a microtask', async () => {
    let clock = -1;
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    let ran = 0;
    for (let i = 0; i < 768; i++) {
      requestBatch({
        _drain: () => {
          clock += 1 / 128;
          ran++;
        },
      });
    }
    await flushMicrotasks(1);
    expect(ran).toBe(768);
    let next = false;
    requestBatch({ _drain: () => (next = true) });
    await flushMicrotasks(1);
    expect(next).toBe(true);
  });

  describe('a batch that yielded', () => {
    afterEach(stopAllCallers);

    it('should go on with the items queued before it, and leave work it queued to the next batch', async () => {
      // Each call moves the clock 0.1 ms: the batch of 300 passes its 5 ms slice at item 256, yields to the
      // event loop and goes on with the rest. The call it queued runs in the next batch, a microtask after
      // the resumed slice: after what the slice's last call queued, not inside that slice.
      let clock = Date.now();
      jest.spyOn(Date, 'now').mockImplementation(() => clock);
      const caller = new Caller();
      const order: string[] = [];
      const n = 300;
      const calls: Pending<unknown>[] = [];
      let queuedByTheBatch: Pending<unknown> | undefined;
      for (let i = 0; i < n; i++) {
        calls.push(
          caller.callSoon(() => {
            clock += 0.1;
            if (i === 0) queuedByTheBatch = caller.callSoon(() => void order.push('queued by the batch'));
            if (i === n - 1) void Promise.resolve().then(() => order.push('a microtask of the last item'));
          }),
        );
      }
      await within(Promise.all(calls));
      await within(queuedByTheBatch!);
      expect(order).toEqual(['a microtask of the last item', 'queued by the batch']);
    });
  });
});

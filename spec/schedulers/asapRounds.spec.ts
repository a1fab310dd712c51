/**
 * The shared asap rounds (schedulers/internal/asapRounds.ts) under the callers of the 'asap' backend: one
 * microtask runs a batch of every caller that asked, a failing batch does not stop the others, and a long
 * round yields to the host event loop once it has run for its time slice. Time is a clock the test moves
 * (Date.now, which asapScheduler reads): no timing assertion.
 */
import { requestBatch } from '../../schedulers/internal/asapRounds.js';
import { deferred, flushMicrotasks } from '../helpers/callers.js';
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
});

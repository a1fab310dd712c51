import { from, lastValueFrom, of } from 'rxjs';
import { DeadlockError } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import type { Awaitable } from '../../lib/types.js';
import { wait } from '../../operators/wait.js';
import { Caller } from '../../schedulers/Caller.js';
import { takeReports } from '../helpers/reports.js';
import { rejectionOf, stopped, thrownBy } from './helpers.js';
import { within, SLOW_TEST_MS } from '../helpers/within.js';

describe('wait', () => {
  describe('operator', () => {
    it('should wait for Promise members', async () => {
      const slow = new Promise<string>((resolve) => setTimeout(() => resolve('slow'), 5));
      const { done, pending } = await lastValueFrom(from<Awaitable<string>[]>([slow, Promise.reject(new Error('failed'))]).pipe(wait()));
      expect(pending.size).toBe(0);
      expect([...done].map((p) => p.state).sort()).toEqual(['fulfilled', 'rejected']);
      // Read from `done`: nothing to report (a failure left unread is; see the test below).
      expect([...done].map((p) => p.exception())).toEqual(expect.arrayContaining([undefined, new Error('failed')]));
      expect(await takeReports()).toEqual([]);
    });

    it('should report, once, a failed member left unread in `done` (DESIGN §7), and only after handing it over', async () => {
      const failed = new Pending<string>();
      const held = lastValueFrom(from<Awaitable<string>[]>([failed, new Promise<string>((resolve) => setTimeout(() => resolve('slow'), 20))]).pipe(wait()));
      failed.setException(new Error('unread'));
      // wait holds it while it still waits: nothing is reported meanwhile.
      expect(await takeReports()).toEqual([]);
      const { done } = await held;
      expect(done.has(failed)).toBe(true);
      const reports = await takeReports();
      expect(reports.map((r) => [r.kind, r.pending, (r.error as Error).message])).toEqual([['unobserved', failed, 'unread']]);
      expect(await takeReports()).toEqual([]);
    });

    it('should check its options when made', () => {
      expect(thrownBy(() => wait({ timeout: -1 }))).toEqual(new RangeError('Expected `options.timeout` to be a number >= 0, got `-1` (number)'));
      expect(thrownBy(() => wait({ returnWhen: 'FIRST' as 'FIRST_COMPLETED' }))).toEqual(
        new TypeError('Expected `options.returnWhen` to be one of "ALL_COMPLETED", "FIRST_COMPLETED", "FIRST_EXCEPTION", got `"FIRST"` (string)'),
      );
      expect(thrownBy(() => wait({ scheduler: {} as never }))).toBeInstanceOf(TypeError);
    });
  });

  describe('Caller.wait', () => {
    let caller: Caller;

    beforeEach(() => {
      caller = new Caller({ name: 'wait-test' });
    });

    afterEach(() => stopped(caller));

    it('should settle with every call done by default', async () => {
      const a = caller.callLater(3, () => 'a');
      const b = caller.callSoon(() => 'b');
      const { done, pending } = await caller.wait([a, b]);
      expect(done).toEqual(new Set([a, b]));
      expect(pending.size).toBe(0);
    });

    it('should return at the timeout, leaving the slow call running (never cancelling)', async () => {
      const fast = caller.callSoon(() => 'fast');
      const slow = caller.callLater(200, () => 'slow');
      const { done, pending } = await caller.wait([fast, slow], { timeout: 20 });
      expect(done).toEqual(new Set([fast]));
      expect(pending).toEqual(new Set([slow]));
      expect(slow.state).toBe('pending');
      expect(await within(slow)).toBe('slow');
    }, SLOW_TEST_MS);

    it('should return with the first call done with FIRST_COMPLETED', async () => {
      const fast = caller.callSoon(() => 'fast');
      const slow = caller.callLater(200, () => 'slow');
      const { done, pending } = await caller.wait([slow, fast], { returnWhen: 'FIRST_COMPLETED' });
      expect(done).toEqual(new Set([fast]));
      expect(pending).toEqual(new Set([slow]));
    });

    it('should return at the first failure with FIRST_EXCEPTION, and report nothing for it once read', async () => {
      const failing = caller.callSoon((): string => {
        throw new Error('failed');
      });
      const slow = caller.callLater(200, () => 'slow');
      const { done, pending } = await caller.wait([slow, failing], { returnWhen: 'FIRST_EXCEPTION' });
      expect(done).toEqual(new Set([failing]));
      expect(pending).toEqual(new Set([slow]));
      expect(failing.exception()).toEqual(new Error('failed'));
      expect(await takeReports()).toEqual([]);
    });

    it('should report a call left in `pending` that later fails with nobody observing it', async () => {
      const late: Pending<string> = caller.callLater(30, (): string => {
        throw new Error('late failure');
      });
      const { pending } = await caller.wait([late], { timeout: 1 });
      expect(pending).toEqual(new Set([late]));
      // Wait for it to fail without observing it (a done callback or await would observe it).
      await new Promise<void>((resolve) => late._addPassiveCallback(() => resolve()));
      const reports = await takeReports();
      expect(reports.map((r) => [r.kind, r.pending === late, (r.error as Error).message])).toEqual([['unobserved', true, 'late failure']]);
    });

    it('should start thunks and wrap other inputs', async () => {
      const { done } = await caller.wait<unknown>([() => caller.callSoon(() => 1), of(2), Promise.resolve(3)]);
      expect([...done].map((p) => p.result()).sort()).toEqual([1, 2, 3]);
    });

    it('should settle with two empty sets for no items', async () => {
      expect(await caller.wait([])).toEqual({ done: new Set(), pending: new Set() });
    });

    it('should reject with DeadlockError when a call waits on its own pending', async () => {
      const call = caller.callSoon(() => caller.wait([Caller.currentPending()!]));
      expect(await rejectionOf(call)).toBeInstanceOf(DeadlockError);
    });

    it('should check its arguments', () => {
      expect(thrownBy(() => caller.wait({} as never))).toBeInstanceOf(TypeError);
      expect(thrownBy(() => caller.wait([], { timeout: NaN }))).toBeInstanceOf(RangeError);
      expect(thrownBy(() => caller.wait([], 'soon' as never))).toBeInstanceOf(TypeError);
    });
  });
});

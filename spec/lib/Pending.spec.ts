import * as fc from 'fast-check';
import { EMPTY, EmptyError, Observable, Subject, isObservable, of, throwError } from 'rxjs';
import { config } from '../../lib/config.js';
import { DeadlockError, PendingCancelled, PendingNotDone, PendingTimeout } from '../../lib/errors.js';
import { runInFrame } from '../../lib/internal/context.js';
import { Pending, type PendingState } from '../../lib/Pending.js';
import { rejectionOf, thrownBy } from '../helpers/outcomes.js';
import { takeReports } from '../helpers/reports.js';
import { within, SLOW_TEST_MS } from '../helpers/within.js';


/** Lets every queued microtask (and the ones they queue) run, without leaving the current macrotask. */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** A signal source whose listener bookkeeping is visible, to prove the pending leaks nothing. */
function spiedSignal(): { controller: AbortController; add: jest.SpyInstance; remove: jest.SpyInstance } {
  const controller = new AbortController();
  const add = jest.spyOn(controller.signal, 'addEventListener');
  const remove = jest.spyOn(controller.signal, 'removeEventListener');
  return { controller, add, remove };
}

describe('Pending', () => {
  describe('states and settle-once', () => {
    it('should start pending, not done, not cancelled, not protected', () => {
      const p = new Pending<number>();
      expect(p.state).toBe('pending');
      expect(p.done).toBe(false);
      expect(p.cancelled).toBe(false);
      expect(p.protected).toBe(false);
    });

    it('should be an Observable', () => {
      const p = new Pending<number>();
      expect(p).toBeInstanceOf(Observable);
      expect(isObservable(p)).toBe(true);
    });

    it('should fulfil once: setResult returns true, then every later settlement returns false', () => {
      const p = new Pending<number>();
      expect(p.setResult(1)).toBe(true);
      expect(p.state).toBe('fulfilled');
      expect(p.done).toBe(true);
      expect(p.setResult(2)).toBe(false);
      expect(p.setException(new Error('late'))).toBe(false);
      expect(p.cancel('late')).toBe(false);
      expect(p.state).toBe('fulfilled');
      expect(p.cancelled).toBe(false);
      expect(p.result()).toBe(1);
    });

    it('should reject once: setException returns true, then every later settlement returns false', () => {
      const p = new Pending<number>();
      const error = new Error('boom');
      expect(p.setException(error)).toBe(true);
      expect(p.state).toBe('rejected');
      expect(p.done).toBe(true);
      expect(p.setException(new Error('other'))).toBe(false);
      expect(p.setResult(1)).toBe(false);
      expect(p.cancel()).toBe(false);
      expect(p.state).toBe('rejected');
      expect(p.exception()).toBe(error);
    });

    it('should accept undefined as a result and any value as an error', () => {
      const p = new Pending<undefined>();
      expect(p.setResult(undefined)).toBe(true);
      expect(p.state).toBe('fulfilled');
      const q = new Pending<number>();
      expect(q.setException('a string')).toBe(true);
      expect(q.exception()).toBe('a string');
    });

    it('should be protected when constructed with protect', () => {
      expect(new Pending({ protect: true }).protected).toBe(true);
      expect(new Pending({ protect: false }).protected).toBe(false);
    });

    it('should reject bad options with a TypeError naming them', () => {
      expect(() => new Pending(null as never)).toThrow(TypeError);
      expect(() => new Pending(null as never)).toThrow(/`options`/);
      expect(() => new Pending({ metadata: 3 as never })).toThrow(/`options\.metadata`.*`3` \(number\)/);
      expect(() => new Pending({ signal: {} as never })).toThrow(/`options\.signal`/);
    });
  });

  describe('result() and exception()', () => {
    it('should throw PendingNotDone from both while pending', () => {
      const p = new Pending<number>();
      expect(() => p.result()).toThrow(PendingNotDone);
      expect(() => p.exception()).toThrow(PendingNotDone);
    });

    it('should throw PendingNotDone from both while cancelling', () => {
      const p = new Pending<number>();
      p.setCanceller(() => undefined);
      p.cancel();
      expect(p.state).toBe('cancelling');
      expect(() => p.result()).toThrow(PendingNotDone);
      expect(() => p.exception()).toThrow(PendingNotDone);
    });

    it('should give the value and no exception when fulfilled', () => {
      const p = new Pending<{ a: number }>();
      const value = { a: 1 };
      p.setResult(value);
      expect(p.result()).toBe(value);
      expect(p.exception()).toBeUndefined();
    });

    it('should throw the stored error from result() and return it from exception() when rejected', () => {
      const p = new Pending<number>();
      const error = new Error('boom');
      p.setException(error);
      expect(thrownBy(() => p.result())).toBe(error);
      expect(p.exception()).toBe(error);
    });

    it('should throw PendingCancelled from both when cancelled', () => {
      const p = new Pending<number>();
      p.cancel('stop');
      expect(() => p.result()).toThrow(PendingCancelled);
      expect(() => p.exception()).toThrow(PendingCancelled);
      expect(() => p.result()).toThrow(/stop/);
    });
  });

  describe('done callbacks', () => {
    it('should run synchronously at settlement, in registration order, with the pending', () => {
      const p = new Pending<number>();
      const calls: string[] = [];
      p.addDoneCallback((q) => calls.push(`a:${q === p}`));
      p.addDoneCallback(() => calls.push('b'));
      p.addDoneCallback(() => calls.push('c'));
      expect(calls).toEqual([]);
      p.setResult(1);
      expect(calls).toEqual(['a:true', 'b', 'c']);
    });

    it('should run a callback added after settlement at once', () => {
      const p = new Pending<number>();
      p.setResult(1);
      const cb = jest.fn();
      p.addDoneCallback(cb);
      expect(cb).toHaveBeenCalledTimes(1);
      expect(cb).toHaveBeenCalledWith(p);
    });

    it('should run callbacks on rejection and on cancellation too', () => {
      const rejected = new Pending<number>();
      const cancelled = new Pending<number>();
      const seen: PendingState[] = [];
      rejected.addDoneCallback((q) => seen.push(q.state));
      cancelled.addDoneCallback((q) => seen.push(q.state));
      rejected.setException(new Error('x'));
      cancelled.cancel();
      expect(seen).toEqual(['rejected', 'cancelled']);
    });

    it('should run each registration once, a callback added twice twice', () => {
      const p = new Pending<number>();
      const cb = jest.fn();
      p.addDoneCallback(cb);
      p.addDoneCallback(cb);
      p.setResult(1);
      p.setResult(2);
      expect(cb).toHaveBeenCalledTimes(2);
    });

    it('should remove every registration of a callback and return how many it removed', () => {
      const p = new Pending<number>();
      const removed = jest.fn();
      const kept = jest.fn();
      p.addDoneCallback(removed);
      p.addDoneCallback(kept);
      p.addDoneCallback(removed);
      expect(p.removeDoneCallback(removed)).toBe(2);
      expect(p.removeDoneCallback(removed)).toBe(0);
      expect(p.removeDoneCallback(() => undefined)).toBe(0);
      p.setResult(1);
      expect(removed).not.toHaveBeenCalled();
      expect(kept).toHaveBeenCalledTimes(1);
    });

    it('should remove a single registration and return 1', () => {
      const p = new Pending<number>();
      const cb = jest.fn();
      p.addDoneCallback(cb);
      expect(p.removeDoneCallback(cb)).toBe(1);
      p.setResult(1);
      expect(cb).not.toHaveBeenCalled();
    });

    it('should return 0 when removing after settlement (the callbacks already ran)', () => {
      const p = new Pending<number>();
      const cb = jest.fn();
      p.addDoneCallback(cb);
      p.setResult(1);
      expect(p.removeDoneCallback(cb)).toBe(0);
    });

    it('should report a throwing callback to config.onUnobservedError with its pending, and still run the others', async () => {
      const p = new Pending<number>();
      const calls: string[] = [];
      const error = new Error('callback failed');
      p.addDoneCallback(() => calls.push('first'));
      p.addDoneCallback(() => {
        throw error;
      });
      p.addDoneCallback(() => calls.push('third'));
      expect(p.setResult(1)).toBe(true);
      expect(calls).toEqual(['first', 'third']);
      expect(p.state).toBe('fulfilled');
      const reports = await takeReports();
      expect(reports).toHaveLength(1);
      expect(reports[0]!.kind).toBe('unobserved');
      expect(reports[0]!.error).toBe(error);
      expect(reports[0]!.pending).toBe(p);
    });

    it('should report a throwing callback added after settlement', async () => {
      const p = new Pending<number>();
      p.setResult(1);
      const error = new Error('late callback failed');
      p.addDoneCallback(() => {
        throw error;
      });
      const reports = await takeReports();
      expect(reports.map((r) => r.error)).toEqual([error]);
    });

    it('should run a callback added by another callback during settlement at once', () => {
      const p = new Pending<number>();
      const calls: string[] = [];
      p.addDoneCallback((q) => {
        calls.push('outer');
        q.addDoneCallback(() => calls.push('inner'));
        calls.push('after inner');
      });
      p.setResult(1);
      expect(calls).toEqual(['outer', 'inner', 'after inner']);
    });

    it('should reject a non-function callback with a TypeError naming it', () => {
      const p = new Pending<number>();
      expect(() => p.addDoneCallback('nope' as never)).toThrow(TypeError);
      expect(() => p.addDoneCallback('nope' as never)).toThrow('Expected `callback` to be a function, got `"nope"` (string)');
    });
  });

  describe('cancel()', () => {
    it('should cancel a pending with no canceller at once', () => {
      const p = new Pending<number>();
      expect(p.cancel('bye')).toBe(true);
      expect(p.state).toBe('cancelled');
      expect(p.cancelled).toBe(true);
      expect(p.done).toBe(true);
    });

    it('should return true again when cancelling a cancelled pending', () => {
      const p = new Pending<number>();
      p.cancel();
      expect(p.cancel()).toBe(true);
      expect(p.state).toBe('cancelled');
    });

    it('should be a request while a canceller runs: cancelling until settled, then cancelled whatever value arrives', () => {
      const p = new Pending<number>();
      const canceller = jest.fn();
      p.setCanceller(canceller);
      expect(p.cancel('first')).toBe(true);
      expect(canceller).toHaveBeenCalledTimes(1);
      expect(canceller).toHaveBeenCalledWith('first');
      expect(p.state).toBe('cancelling');
      expect(p.cancelled).toBe(true);
      expect(p.done).toBe(false);
      expect(p.cancel('second')).toBe(true);
      expect(canceller).toHaveBeenCalledTimes(1);
      expect(p.setResult(42)).toBe(true);
      expect(p.state).toBe('cancelled');
      expect(p.done).toBe(true);
      expect(() => p.result()).toThrow(PendingCancelled);
      expect(p.setResult(43)).toBe(false);
    });

    it('should end cancelled whatever error arrives, keeping that error as the cause', () => {
      const p = new Pending<number>();
      p.setCanceller(() => undefined);
      p.cancel('stop');
      const error = new Error('work ended badly');
      expect(p.setException(error)).toBe(true);
      expect(p.state).toBe('cancelled');
      const cancelled = thrownBy(() => p.result());
      expect(cancelled).toBeInstanceOf(PendingCancelled);
      expect((cancelled as PendingCancelled).cause).toBe(error);
    });

    it('should let the canceller settle the pending synchronously', () => {
      const p = new Pending<number>();
      p.setCanceller(() => p.setException(new Error('aborted by canceller')));
      expect(p.cancel()).toBe(true);
      expect(p.state).toBe('cancelled');
    });

    it('should accumulate reasons into the PendingCancelled message', () => {
      const p = new Pending<number>();
      p.setCanceller(() => undefined);
      p.cancel('first reason');
      p.cancel('second reason');
      p.setResult(1);
      const error = thrownBy(() => p.result()) as PendingCancelled;
      expect(error).toBeInstanceOf(PendingCancelled);
      expect(error.message).toBe('Pending was cancelled: first reason; second reason');
      expect(error.reasons).toEqual(['first reason', 'second reason']);
    });

    it('should abort the signal when cancel is first requested, with a PendingCancelled reason', () => {
      const p = new Pending<number>();
      p.setCanceller(() => undefined);
      const signal = p.signal;
      expect(signal.aborted).toBe(false);
      expect(p.signal).toBe(signal);
      const onAbort = jest.fn();
      signal.addEventListener('abort', onAbort);
      p.cancel('go away');
      expect(signal.aborted).toBe(true);
      expect(onAbort).toHaveBeenCalledTimes(1);
      expect(signal.reason).toBeInstanceOf(PendingCancelled);
      expect((signal.reason as Error).message).toMatch(/go away/);
      p.cancel('again');
      expect(onAbort).toHaveBeenCalledTimes(1);
    });

    it('should give an already aborted signal when read after cancel', () => {
      const p = new Pending<number>();
      p.cancel('early');
      expect(p.signal.aborted).toBe(true);
      expect(p.signal.reason).toBeInstanceOf(PendingCancelled);
      expect((p.signal.reason as Error).message).toMatch(/early/);
    });

    it('should give an already aborted signal when read while cancelling', () => {
      const p = new Pending<number>();
      p.setCanceller(() => undefined);
      p.cancel('meanwhile');
      expect(p.signal.aborted).toBe(true);
    });

    it('should not abort the signal of a pending that settled otherwise', () => {
      const p = new Pending<number>();
      p.setResult(1);
      expect(p.signal.aborted).toBe(false);
      p.cancel();
      expect(p.signal.aborted).toBe(false);
    });

    it('should end cancelled when an abort listener settles the pending, without calling the canceller', () => {
      const p = new Pending<number>();
      const canceller = jest.fn();
      p.setCanceller(canceller);
      p.signal.addEventListener('abort', () => p.setResult(1));
      expect(p.cancel()).toBe(true);
      expect(p.state).toBe('cancelled');
      expect(canceller).not.toHaveBeenCalled();
    });

    it('should report a throwing canceller with its pending, and end cancelled at once (nothing else would settle it)', async () => {
      const p = new Pending<number>();
      const error = new Error('canceller failed');
      p.setCanceller(() => {
        throw error;
      });
      expect(p.cancel()).toBe(true);
      expect(p.state).toBe('cancelled');
      const reports = await takeReports();
      expect(reports.map((r) => [r.error, r.pending])).toEqual([[error, p]]);
      expect(p.setResult(1)).toBe(false);
      expect(p.state).toBe('cancelled');
    });

    it('should reject a non-string reason with a TypeError naming it', () => {
      const p = new Pending<number>();
      expect(() => p.cancel(5 as never)).toThrow(TypeError);
      expect(() => p.cancel(5 as never)).toThrow('Expected `reason` to be a string, got `5` (number)');
      expect(p.state).toBe('pending');
    });
  });

  describe('setCanceller()', () => {
    it('should reject a non-function with a TypeError naming the argument and the value', () => {
      const p = new Pending<number>();
      expect(() => p.setCanceller(42 as never)).toThrow(TypeError);
      expect(() => p.setCanceller(42 as never)).toThrow('Expected `canceller` to be a function, got `42` (number)');
      expect(() => p.setCanceller(undefined as never)).toThrow(/`canceller`.*`undefined` \(undefined\)/);
    });

    it('should call a canceller set while cancelling at once, with the reasons so far', () => {
      const p = new Pending<number>();
      p.setCanceller(() => undefined);
      p.cancel('a');
      p.cancel('b');
      const late = jest.fn();
      p.setCanceller(late);
      expect(late).toHaveBeenCalledTimes(1);
      expect(late).toHaveBeenCalledWith('a; b');
    });

    it('should ignore a canceller set after settlement', () => {
      const p = new Pending<number>();
      p.setResult(1);
      const canceller = jest.fn();
      p.setCanceller(canceller);
      expect(p.cancel()).toBe(false);
      expect(canceller).not.toHaveBeenCalled();
    });

    it('should use the latest canceller', () => {
      const p = new Pending<number>();
      const first = jest.fn();
      const second = jest.fn();
      p.setCanceller(first);
      p.setCanceller(second);
      p.cancel();
      expect(first).not.toHaveBeenCalled();
      expect(second).toHaveBeenCalledTimes(1);
    });

    it('should never call the canceller of a pending that settled before any cancel', () => {
      const p = new Pending<number>();
      const canceller = jest.fn();
      p.setCanceller(canceller);
      p.setResult(1);
      p.cancel();
      expect(canceller).not.toHaveBeenCalled();
    });
  });

  describe('awaiting (PromiseLike face)', () => {
    it('should resolve with the value', async () => {
      const p = new Pending<number>();
      setTimeout(() => p.setResult(7), 0);
      await expect(p).resolves.toBe(7);
    });

    it('should resolve at once when already fulfilled', async () => {
      const p = new Pending<string>();
      p.setResult('done');
      expect(await within(p)).toBe('done');
    });

    it('should reject with the stored error', async () => {
      const p = new Pending<number>();
      const error = new Error('boom');
      const awaited = rejectionOf(p);
      p.setException(error);
      expect(await within(awaited)).toBe(error);
    });

    it('should reject with PendingCancelled when cancelled, naming the reasons', async () => {
      const p = new Pending<number>();
      const awaited = rejectionOf(p);
      p.cancel('user left');
      const error = await awaited;
      expect(error).toBeInstanceOf(PendingCancelled);
      expect((error as Error).message).toBe('Pending was cancelled: user left');
    });

    it('should reject with PendingCancelled when awaited after cancellation', async () => {
      const p = new Pending<number>();
      p.cancel();
      expect(await rejectionOf(p)).toBeInstanceOf(PendingCancelled);
    });

    it('should return real Promises from then, catch and finally', async () => {
      const p = new Pending<number>();
      p.setResult(2);
      const doubled = p.then((v) => v * 2);
      expect(doubled).toBeInstanceOf(Promise);
      expect(await within(doubled)).toBe(4);
      const q = new Pending<number>();
      q.setException(new Error('x'));
      const caught = q.catch((e: unknown) => (e as Error).message);
      expect(caught).toBeInstanceOf(Promise);
      expect(await within(caught)).toBe('x');
      const onFinally = jest.fn();
      expect(await p.finally(onFinally)).toBe(2);
      expect(onFinally).toHaveBeenCalledTimes(1);
    });

    it('should make the promise only on first use, and reuse it', async () => {
      const p = new Pending<number>();
      expect(p._promise).toBeUndefined();
      p.setException(new Error('nobody awaits'));
      expect(p._promise).toBeUndefined();
      const first = p.then(undefined, () => 'handled');
      const made = p._promise;
      expect(made).toBeInstanceOf(Promise);
      void p.then(undefined, () => 'handled again');
      expect(p._promise).toBe(made);
      await first;
    });

    it('should never cancel: awaiters and done callbacks are passive', async () => {
      const p = new Pending<number>();
      const awaited = p.then((v) => v);
      p.addDoneCallback(() => undefined);
      const sub = p.subscribe({ error: () => undefined });
      sub.unsubscribe();
      // The only subscriber left, so the pending is cancelled although an awaiter and a callback remain.
      expect(p.state).toBe('cancelled');
      expect(await rejectionOf(awaited)).toBeInstanceOf(PendingCancelled);
      const q = new Pending<number>();
      const waiting = q.then((v) => v);
      await flushMicrotasks();
      expect(q.state).toBe('pending');
      q.setResult(3);
      expect(await within(waiting)).toBe(3);
    });

    it('should not cause an unhandledRejection when it fails and nobody awaits it', async () => {
      // jest fails the test on an unhandled rejection; the failure is reported as unobserved instead.
      const p = new Pending<number>();
      p.setException(new Error('lonely'));
      const reports = await takeReports();
      expect(reports).toHaveLength(1);
      expect(reports[0]!.kind).toBe('unobserved');
    });
  });

  describe('wait()', () => {
    it('should not cause an unhandledRejection when its promise is dropped and the pending fails', async () => {
      const p = new Pending<number>();
      void p.wait();
      p.setException(new Error('dropped'));
      // Two macrotask turns: long enough for Node to have reported an unhandled rejection.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(p.state).toBe('rejected');
    });

    it('should resolve with the value when there is no timeout', async () => {
      const p = new Pending<number>();
      const waited = p.wait();
      expect(waited).toBeInstanceOf(Promise);
      p.setResult(5);
      expect(await within(waited)).toBe(5);
    });

    it('should reject with PendingTimeout and cancel the pending after the timeout', async () => {
      const p = new Pending<number>();
      const error = await rejectionOf(p.wait({ timeout: 1 }));
      expect(error).toBeInstanceOf(PendingTimeout);
      expect((error as PendingTimeout).timeout).toBe(1);
      expect((error as Error).message).toBe('Pending did not settle within 1 ms');
      expect(p.state).toBe('cancelled');
      expect(thrownBy(() => p.result())).toBeInstanceOf(PendingCancelled);
      expect(thrownBy(() => p.result())).toHaveProperty('message', expect.stringMatching(/timed out after 1 ms/));
    });

    it('should request cancellation through the canceller on timeout', async () => {
      const p = new Pending<number>();
      const canceller = jest.fn();
      p.setCanceller(canceller);
      expect(await rejectionOf(p.wait({ timeout: 0 }))).toBeInstanceOf(PendingTimeout);
      expect(canceller).toHaveBeenCalledTimes(1);
      expect(p.state).toBe('cancelling');
      p.setResult(1);
      expect(p.state).toBe('cancelled');
    });

    it('should leave the pending running on timeout with protect', async () => {
      const p = new Pending<number>();
      expect(await rejectionOf(p.wait({ timeout: 1, protect: true }))).toBeInstanceOf(PendingTimeout);
      expect(p.state).toBe('pending');
      expect(p.cancelled).toBe(false);
      p.setResult(9);
      expect(await within(p)).toBe(9);
    });

    it('should resolve when the pending settles before the timeout, and not cancel it later', async () => {
      const p = new Pending<number>();
      const waited = p.wait({ timeout: 10_000 });
      p.setResult(3);
      expect(await within(waited)).toBe(3);
      expect(p.state).toBe('fulfilled');
    });

    it('should reject with the error when the pending fails before the timeout', async () => {
      const p = new Pending<number>();
      const waited = p.wait({ timeout: 10_000 });
      const error = new Error('failed in time');
      p.setException(error);
      expect(await rejectionOf(waited)).toBe(error);
    });

    it('should honour a timeout longer than a host timer can hold (2^31 - 1 ms)', async () => {
      // jest's fake timers fire an overlong timer after 1 ms, like Node and browsers do.
      jest.useFakeTimers();
      const p = new Pending<number>();
      const timeout = 2 ** 31 + 5;
      let waited: Promise<number>;
      try {
        waited = p.wait({ timeout });
        waited.catch(() => undefined);
        jest.advanceTimersByTime(1);
        expect(p.state).toBe('pending');
        jest.advanceTimersByTime(timeout - 2);
        expect(p.state).toBe('pending');
        jest.advanceTimersByTime(1);
        expect(p.state).toBe('cancelled');
      } finally {
        jest.useRealTimers();
      }
      expect(await rejectionOf(waited)).toBeInstanceOf(PendingTimeout);
    });

    it('should resolve an already settled pending whatever the timeout', async () => {
      const p = new Pending<number>();
      p.setResult(1);
      expect(await p.wait({ timeout: 0 })).toBe(1);
      expect(await p.wait({ timeout: Infinity })).toBe(1);
    });

    it('should throw a RangeError at once for a negative or NaN timeout', () => {
      const p = new Pending<number>();
      expect(() => p.wait({ timeout: -1 })).toThrow(RangeError);
      expect(() => p.wait({ timeout: -1 })).toThrow('Expected `options.timeout` to be a number >= 0, got `-1` (number)');
      expect(() => p.wait({ timeout: NaN })).toThrow(RangeError);
      expect(() => p.wait({ timeout: NaN })).toThrow(/`options\.timeout`.*`NaN` \(number\)/);
      expect(p.state).toBe('pending');
    });

    it('should throw a TypeError at once for a timeout that is not a number, or bad options', () => {
      const p = new Pending<number>();
      expect(() => p.wait({ timeout: '5' as never })).toThrow(TypeError);
      expect(() => p.wait({ timeout: '5' as never })).toThrow(/`options\.timeout`/);
      expect(() => p.wait(7 as never)).toThrow(TypeError);
    });
  });

  describe('cancelWait()', () => {
    it('should cancel and resolve at once when there is no canceller', async () => {
      const p = new Pending<number>();
      await expect(p.cancelWait('now')).resolves.toBeUndefined();
      expect(p.state).toBe('cancelled');
      expect((thrownBy(() => p.result()) as Error).message).toMatch(/now/);
    });

    it('should resolve only once a cancelling pending has settled', async () => {
      const p = new Pending<number>();
      p.setCanceller(() => undefined);
      let resolved = false;
      const waited = p.cancelWait().then(() => {
        resolved = true;
      });
      await flushMicrotasks();
      expect(p.state).toBe('cancelling');
      expect(resolved).toBe(false);
      p.setException(new Error('ended anyway'));
      await waited;
      expect(resolved).toBe(true);
      expect(p.state).toBe('cancelled');
    });

    it('should resolve, never reject, on a pending that had already settled otherwise', async () => {
      const fulfilled = new Pending<number>();
      fulfilled.setResult(1);
      await expect(fulfilled.cancelWait()).resolves.toBeUndefined();
      expect(fulfilled.state).toBe('fulfilled');
      const rejected = new Pending<number>();
      rejected.setException(new Error('x'));
      await expect(rejected.cancelWait()).resolves.toBeUndefined();
      expect(rejected.state).toBe('rejected');
      expect(await takeReports()).toEqual([]);
    });
  });

  describe('metadata', () => {
    it('should keep the metadata object as given', () => {
      const metadata = { fn: 'work', args: [1, 2] };
      const p = new Pending({ metadata });
      expect(p.metadata).toBe(metadata);
      expect(p.metadata).toEqual({ fn: 'work', args: [1, 2] });
    });

    it('should default to one stable empty object', () => {
      const p = new Pending();
      expect(p.metadata).toEqual({});
      p.metadata.caller = 'me';
      expect(p.metadata).toEqual({ caller: 'me' });
    });
  });

  describe('constructor signal option', () => {
    it('should cancel the pending when the signal aborts, with the abort reason', () => {
      const controller = new AbortController();
      const p = new Pending<number>({ signal: controller.signal });
      expect(p.state).toBe('pending');
      controller.abort(new Error('outside abort'));
      expect(p.state).toBe('cancelled');
      expect((thrownBy(() => p.result()) as Error).message).toMatch(/outside abort/);
    });

    it('should cancel at once with an already aborted signal', () => {
      const p = new Pending<number>({ signal: AbortSignal.abort('too late') });
      expect(p.state).toBe('cancelled');
      expect((thrownBy(() => p.result()) as Error).message).toMatch(/too late/);
    });

    it('should remove its abort listener when the pending settles', () => {
      const { controller, add, remove } = spiedSignal();
      const p = new Pending<number>({ signal: controller.signal });
      expect(add).toHaveBeenCalledTimes(1);
      const listener = add.mock.calls[0]![1];
      expect(remove).not.toHaveBeenCalled();
      p.setResult(1);
      expect(remove).toHaveBeenCalledTimes(1);
      expect(remove).toHaveBeenCalledWith('abort', listener);
      controller.abort();
      expect(p.state).toBe('fulfilled');
    });

    it('should remove its abort listener when the pending is cancelled another way', () => {
      const { controller, add, remove } = spiedSignal();
      const p = new Pending<number>({ signal: controller.signal });
      p.cancel();
      expect(remove).toHaveBeenCalledWith('abort', add.mock.calls[0]![1]);
    });

    it('should let one long-lived signal serve many pendings without keeping listeners', () => {
      const { controller, add, remove } = spiedSignal();
      for (let i = 0; i < 5; i++) new Pending<number>({ signal: controller.signal }).setResult(i);
      expect(add).toHaveBeenCalledTimes(5);
      expect(remove).toHaveBeenCalledTimes(5);
      expect(remove.mock.calls.map((c) => c[1])).toEqual(add.mock.calls.map((c) => c[1]));
    });
  });

  describe('Pending.from()', () => {
    it('should subscribe to the source at once, before anyone subscribes to the pending', () => {
      const subscribe = jest.fn();
      const source = new Observable<number>(() => subscribe());
      Pending.from(source);
      expect(subscribe).toHaveBeenCalledTimes(1);
    });

    it('should settle with the last value of a synchronous source', () => {
      const p = Pending.from(of(1, 2, 3));
      expect(p.state).toBe('fulfilled');
      expect(p.result()).toBe(3);
    });

    it('should settle with the last value when an asynchronous source completes', () => {
      const source = new Subject<string>();
      const p = Pending.from(source);
      source.next('a');
      source.next('b');
      expect(p.state).toBe('pending');
      source.complete();
      expect(p.result()).toBe('b');
    });

    it('should never subscribe twice to the source, however many subscribe to the pending', () => {
      const subscribe = jest.fn();
      const source = new Observable<number>((subscriber) => {
        subscribe();
        subscriber.next(1);
        subscriber.complete();
      });
      const p = Pending.from(source);
      p.subscribe();
      p.subscribe();
      expect(subscribe).toHaveBeenCalledTimes(1);
    });

    it('should reject with EmptyError when the source completes with no value', () => {
      const p = Pending.from(EMPTY);
      expect(p.state).toBe('rejected');
      expect(p.exception()).toBeInstanceOf(EmptyError);
    });

    it('should settle with defaultValue when the source completes with no value', () => {
      expect(Pending.from(EMPTY, { defaultValue: 7 }).result()).toBe(7);
      expect(Pending.from(EMPTY as Observable<number | undefined>, { defaultValue: undefined }).state).toBe('fulfilled');
      expect(Pending.from(of(1), { defaultValue: 7 }).result()).toBe(1);
    });

    it('should reject with the source error', () => {
      const error = new Error('source failed');
      const p = Pending.from(throwError(() => error));
      expect(p.exception()).toBe(error);
    });

    it('should call a thunk at once, once, and use what it returns', () => {
      const thunk = jest.fn(() => of('x'));
      const p = Pending.from(thunk);
      expect(thunk).toHaveBeenCalledTimes(1);
      expect(p.result()).toBe('x');
    });

    it('should reject, not throw, when the thunk throws', () => {
      const error = new Error('thunk failed');
      const p = Pending.from((): Observable<number> => {
        throw error;
      });
      expect(p.state).toBe('rejected');
      expect(p.exception()).toBe(error);
    });

    it('should reject with a TypeError when the thunk returns no ObservableInput', () => {
      const p = Pending.from((() => 42) as never);
      expect(p.exception()).toBeInstanceOf(TypeError);
      expect((p.exception() as Error).message).toMatch(/`42` \(number\)/);
    });

    it('should settle from a promise', async () => {
      const p = Pending.from(Promise.resolve(11));
      expect(await within(p)).toBe(11);
    });

    it('should reject from a rejected promise, and end cancelled when cancelled before the promise settles', async () => {
      const error = new Error('no');
      await expect(Pending.from(Promise.reject(error))).rejects.toBe(error);
      let resolve!: (value: number) => void;
      const p = Pending.from(new Promise<number>((r) => (resolve = r)));
      expect(p.cancel('not needed')).toBe(true);
      expect(p.state).toBe('cancelled');
      resolve(1);
      await Promise.resolve();
      expect(p.state).toBe('cancelled');
    });

    it('should unsubscribe the source when cancelled', () => {
      const source = new Subject<number>();
      const p = Pending.from(source);
      expect(source.observed).toBe(true);
      expect(p.cancel('not needed')).toBe(true);
      expect(source.observed).toBe(false);
      expect(p.state).toBe('cancelled');
      source.next(1);
      source.complete();
      expect(p.state).toBe('cancelled');
    });

    it('should end cancelled and report the error when the source teardown throws on cancel', async () => {
      const p = Pending.from(
        new Observable<number>(() => () => {
          throw new Error('teardown failed');
        }),
      );
      expect(p.cancel()).toBe(true);
      expect(p.state).toBe('cancelled');
      const reports = await takeReports();
      expect(reports).toHaveLength(1);
      expect(String(reports[0]!.error)).toMatch(/teardown failed/);
    });

    it('should return a Pending input as it is', () => {
      const p = new Pending<number>();
      expect(Pending.from(p)).toBe(p);
      expect(Pending.from(p, { protect: true })).toBe(p);
    });

    it('should be protected with protect', () => {
      const source = new Subject<number>();
      const p = Pending.from(source, { protect: true });
      expect(p.protected).toBe(true);
      p.subscribe().unsubscribe();
      expect(p.state).toBe('pending');
      expect(source.observed).toBe(true);
      source.complete();
      expect(p.state).toBe('rejected');
      expect(p.exception()).toBeInstanceOf(EmptyError);
    });

    it.each([
      ['a number', 42, '`42` (number)'],
      ['null', null, '`null` (null)'],
      ['a plain object', { a: 1 }, '`[object Object]` (object)'],
      ['undefined', undefined, '`undefined` (undefined)'],
    ])('should throw a TypeError at once for %s', (_label, input, shown) => {
      expect(() => Pending.from(input as never)).toThrow(TypeError);
      expect(() => Pending.from(input as never)).toThrow(new RegExp(`\`input\`.*${shown.replace(/[()[\]]/g, '\\$&')}`));
    });

    it('should throw a TypeError for options that are not an object', () => {
      expect(() => Pending.from(of(1), 5 as never)).toThrow(TypeError);
      expect(() => Pending.from(of(1), 5 as never)).toThrow(/`options`/);
    });
  });

  describe('Observable face', () => {
    it('should deliver next and complete synchronously at settlement', () => {
      const p = new Pending<number>();
      const seen: string[] = [];
      p.subscribe({ next: (v) => seen.push(`next ${v}`), complete: () => seen.push('complete') });
      expect(seen).toEqual([]);
      p.setResult(4);
      expect(seen).toEqual(['next 4', 'complete']);
    });

    it('should replay the outcome to a late subscriber at once', () => {
      const p = new Pending<number>();
      p.setResult(4);
      const seen: string[] = [];
      p.subscribe({ next: (v) => seen.push(`next ${v}`), complete: () => seen.push('complete') });
      expect(seen).toEqual(['next 4', 'complete']);
    });

    it('should deliver the error, and PendingCancelled for a cancelled pending', () => {
      const rejected = new Pending<number>();
      const error = new Error('x');
      const errors: unknown[] = [];
      rejected.subscribe({ error: (e) => errors.push(e) });
      rejected.setException(error);
      const cancelled = new Pending<number>();
      cancelled.cancel('why');
      cancelled.subscribe({ error: (e) => errors.push(e) });
      expect(errors[0]).toBe(error);
      expect(errors[1]).toBeInstanceOf(PendingCancelled);
      expect((errors[1] as Error).message).toBe('Pending was cancelled: why');
    });

    it('should cancel when the last subscriber unsubscribes before settlement', () => {
      const p = new Pending<number>();
      const a = p.subscribe();
      const b = p.subscribe();
      a.unsubscribe();
      expect(p.state).toBe('pending');
      b.unsubscribe();
      expect(p.state).toBe('cancelled');
      expect((thrownBy(() => p.result()) as Error).message).toMatch(/unsubscribed/);
    });

    it('should not cancel a protected pending when the last subscriber leaves', () => {
      const p = new Pending<number>({ protect: true });
      p.subscribe().unsubscribe();
      expect(p.state).toBe('pending');
    });

    it('should not cancel when a subscriber unsubscribes after settlement', () => {
      const p = new Pending<number>();
      const seen: string[] = [];
      const sub = p.subscribe({ complete: () => seen.push('complete') });
      p.setResult(1);
      sub.unsubscribe();
      expect(p.state).toBe('fulfilled');
      expect(seen).toEqual(['complete']);
    });

    it('should count a subscriber only once even if its subscription is unsubscribed twice', () => {
      const p = new Pending<number>();
      const a = p.subscribe();
      const b = p.subscribe();
      a.unsubscribe();
      a.unsubscribe();
      expect(p.state).toBe('pending');
      b.unsubscribe();
      expect(p.state).toBe('cancelled');
    });
  });

  describe('unobserved failures', () => {
    it('should report a failure nobody observed once, at the end of the tick, with the pending', async () => {
      const calls: Array<[unknown, unknown]> = [];
      const saved = config.onUnobservedError;
      config.onUnobservedError = (error, pending) => calls.push([error, pending]);
      try {
        const p = new Pending<number>();
        const error = new Error('lost');
        p.setException(error);
        expect(calls).toEqual([]);
        await flushMicrotasks();
        expect(calls).toEqual([]);
        await takeReports();
        expect(calls).toEqual([[error, p]]);
        await takeReports();
        expect(calls).toHaveLength(1);
      } finally {
        config.onUnobservedError = saved;
      }
    });

    it('should report each unobserved failure', async () => {
      const a = new Pending<number>();
      const b = new Pending<number>();
      a.setException(new Error('a'));
      b.setException(new Error('b'));
      const reports = await takeReports();
      expect(reports.map((r) => [r.kind, (r.error as Error).message, r.pending])).toEqual([
        ['unobserved', 'a', a],
        ['unobserved', 'b', b],
      ]);
    });

    it('should not report a failure observed later in the same tick', async () => {
      const p = new Pending<number>();
      p.setException(new Error('seen in time'));
      await flushMicrotasks();
      const caught = p.catch((e: unknown) => e);
      expect(await takeReports()).toEqual([]);
      expect(await within(caught)).toHaveProperty('message', 'seen in time');
    });

    it('should still report a failure when result() or exception() was only read before settlement', async () => {
      const p = new Pending<number>();
      expect(() => p.result()).toThrow(PendingNotDone);
      expect(() => p.exception()).toThrow(PendingNotDone);
      p.setException(new Error('failed later'));
      const reports = await takeReports();
      expect(reports.map((r) => [r.kind, (r.error as Error).message])).toEqual([['unobserved', 'failed later']]);
    });

    it('should never report a cancelled pending', async () => {
      const bare = new Pending<number>();
      bare.cancel();
      const cancelling = new Pending<number>();
      cancelling.setCanceller(() => undefined);
      cancelling.cancel();
      cancelling.setException(new Error('after cancel'));
      expect(cancelling.state).toBe('cancelled');
      expect(await takeReports()).toEqual([]);
    });

    it.each<[string, (p: Pending<number>) => void, boolean]>([
      ['then', (p) => void p.then(undefined, () => undefined), true],
      ['catch', (p) => void p.catch(() => undefined), true],
      ['subscribe', (p) => void p.subscribe({ error: () => undefined }), true],
      ['a done callback', (p) => p.addDoneCallback(() => undefined), true],
      ['wait()', (p) => void p.wait().catch(() => undefined), true],
      ['result()', (p) => expect(() => p.result()).toThrow('observed'), false],
      ['exception()', (p) => expect(p.exception()).toHaveProperty('message', expect.stringMatching(/observed/)), false],
    ])('should not report a failure observed by %s', async (_label, observe, beforeSettlement) => {
      const first = new Pending<number>();
      if (beforeSettlement) observe(first);
      first.setException(new Error('observed before'));
      if (!beforeSettlement) observe(first);
      const late = new Pending<number>();
      late.setException(new Error('observed after, same tick'));
      observe(late);
      expect(await takeReports()).toEqual([]);
    });
  });

  describe('deadlock detection', () => {
    it('should reject with DeadlockError when work awaits its own pending', async () => {
      const p = new Pending<number>();
      const error = await runInFrame({ caller: {}, pending: p }, async () => rejectionOf(p), undefined);
      expect(error).toBeInstanceOf(DeadlockError);
      expect(p.state).toBe('pending');
    });

    it('should reject wait() and error a subscription on its own pending with DeadlockError', async () => {
      const p = new Pending<number>();
      const frame = { caller: {}, pending: p };
      expect(await runInFrame(frame, () => rejectionOf(p.wait()), undefined)).toBeInstanceOf(DeadlockError);
      const errors: unknown[] = [];
      runInFrame(frame, () => p.subscribe({ error: (e) => errors.push(e) }), undefined);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(DeadlockError);
    });

    it('should detect a cycle of two pendings waiting on each other', async () => {
      const a = new Pending<number>();
      const b = new Pending<number>();
      const aWaitsForB = runInFrame({ caller: {}, pending: a }, () => b.then((v) => v), undefined);
      const error = await runInFrame({ caller: {}, pending: b }, async () => rejectionOf(a), undefined);
      expect(error).toBeInstanceOf(DeadlockError);
      expect((error as Error).message).toMatch(/cycle/);
      b.setResult(1);
      expect(await within(aWaitsForB)).toBe(1);
    });

    it('should not see a deadlock where there is none', async () => {
      const a = new Pending<number>();
      const b = new Pending<number>();
      const aWaitsForB = runInFrame({ caller: {}, pending: a }, () => b.then((v) => v), undefined);
      const c = new Pending<number>();
      const bWaitsForC = runInFrame({ caller: {}, pending: b }, () => c.then((v) => v), undefined);
      c.setResult(1);
      b.setResult(2);
      expect(await within(bWaitsForC)).toBe(1);
      expect(await within(aWaitsForB)).toBe(2);
      const settled = new Pending<number>();
      settled.setResult(3);
      expect(await runInFrame({ caller: {}, pending: settled }, async () => settled, undefined)).toBe(3);
    });
  });

  describe('invariants (property test)', () => {
    type Behaviour = 'ignores' | 'fulfils' | 'rejects';
    type Op =
      | { op: 'setResult'; value: number }
      | { op: 'setException' }
      | { op: 'cancel'; reason: string }
      | { op: 'setCanceller'; behaviour: Behaviour }
      | { op: 'addCallback' }
      | { op: 'removeCallback'; index: number }
      | { op: 'subscribe' }
      | { op: 'unsubscribe'; index: number };

    // Settling operations are rarer, so that sequences spend time in `pending` and `cancelling`.
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { arbitrary: fc.record({ op: fc.constant('setResult' as const), value: fc.integer() }), weight: 1 },
      { arbitrary: fc.record({ op: fc.constant('setException' as const) }), weight: 1 },
      { arbitrary: fc.record({ op: fc.constant('cancel' as const), reason: fc.constantFrom('', 'r1', 'r2') }), weight: 3 },
      { arbitrary: fc.record({ op: fc.constant('setCanceller' as const), behaviour: fc.constantFrom<Behaviour>('ignores', 'fulfils', 'rejects') }), weight: 3 },
      { arbitrary: fc.record({ op: fc.constant('addCallback' as const) }), weight: 3 },
      { arbitrary: fc.record({ op: fc.constant('removeCallback' as const), index: fc.nat(20) }), weight: 2 },
      { arbitrary: fc.record({ op: fc.constant('subscribe' as const) }), weight: 3 },
      { arbitrary: fc.record({ op: fc.constant('unsubscribe' as const), index: fc.nat(20) }), weight: 2 },
    );

    const rank = (s: PendingState) => (s === 'pending' ? 0 : s === 'cancelling' ? 1 : 2);

    it('should settle exactly once and run each done callback exactly once, for any sequence of operations', () => {
      fc.assert(
        fc.property(fc.boolean(), fc.array(opArb, { maxLength: 40 }), (protect, ops) => {
          const p = new Pending<number>({ protect });
          let settlements = 0;
          p.addDoneCallback(() => settlements++);

          // A model of the contract, run side by side with the real pending.
          let state = 'pending' as PendingState;
          let canceller: Behaviour | undefined;
          const settle = (to: 'fulfilled' | 'rejected'): boolean => {
            if (state === 'pending') state = to;
            else if (state === 'cancelling') state = 'cancelled';
            else return false;
            return true;
          };
          const runCanceller = (behaviour: Behaviour) => {
            if (behaviour !== 'ignores') state = 'cancelled';
          };
          const requestCancel = (): boolean => {
            if (state === 'fulfilled' || state === 'rejected') return false;
            if (state !== 'pending') return true;
            state = 'cancelling';
            if (canceller === undefined) state = 'cancelled';
            else runCanceller(canceller);
            return true;
          };

          const callbacks: Array<{ fn: () => void; runs: number; registered: boolean; expected: number }> = [];
          const subscribers: Array<{ terminal: number; nexts: number; live: boolean; expectTerminal: boolean }> = [];
          const subscriptions: Array<{ unsubscribe(): void }> = [];
          let live = 0;
          let lastRank = 0;

          for (const step of ops) {
            switch (step.op) {
              case 'setResult':
                expect(p.setResult(step.value)).toBe(settle('fulfilled'));
                break;
              case 'setException':
                expect(p.setException(new Error('e'))).toBe(settle('rejected'));
                break;
              case 'cancel':
                expect(p.cancel(step.reason)).toBe(requestCancel());
                break;
              case 'setCanceller': {
                const behaviour = step.behaviour;
                const fn = () => {
                  if (behaviour === 'fulfils') p.setResult(0);
                  else if (behaviour === 'rejects') p.setException(new Error('cancelled work failed'));
                };
                p.setCanceller(fn);
                if (state === 'pending') canceller = behaviour;
                else if (state === 'cancelling') runCanceller(behaviour);
                break;
              }
              case 'addCallback': {
                const entry = { fn: () => entry.runs++, runs: 0, registered: false, expected: 1 };
                callbacks.push(entry);
                entry.registered = rank(state) < 2;
                p.addDoneCallback(entry.fn);
                break;
              }
              case 'removeCallback': {
                const entry = callbacks[step.index % Math.max(callbacks.length, 1)];
                if (entry === undefined) break;
                const removed = p.removeDoneCallback(entry.fn);
                expect(removed).toBe(entry.registered && rank(state) < 2 ? 1 : 0);
                if (removed) {
                  entry.registered = false;
                  entry.expected = 0;
                }
                break;
              }
              case 'subscribe': {
                const entry = { terminal: 0, nexts: 0, live: rank(state) < 2, expectTerminal: true };
                subscribers.push(entry);
                if (entry.live) live++;
                subscriptions.push(
                  p.subscribe({
                    next: () => entry.nexts++,
                    error: () => entry.terminal++,
                    complete: () => entry.terminal++,
                  }),
                );
                break;
              }
              case 'unsubscribe': {
                const i = step.index % Math.max(subscribers.length, 1);
                const entry = subscribers[i];
                if (entry === undefined) break;
                subscriptions[i]!.unsubscribe();
                if (entry.live && rank(state) < 2) {
                  entry.live = false;
                  entry.expectTerminal = false;
                  if (--live === 0 && !protect) requestCancel();
                }
                break;
              }
            }
            expect(p.state).toBe(state);
            expect(rank(p.state)).toBeGreaterThanOrEqual(lastRank);
            lastRank = rank(p.state);
            expect(settlements).toBe(p.done ? 1 : 0);
          }

          // Whatever happened, the work ends: a late result settles what is still open.
          p.setResult(-1);
          settle('fulfilled');
          expect(p.done).toBe(true);
          expect(p.state).toBe(state);
          expect(settlements).toBe(1);
          for (const c of callbacks) expect(c.runs).toBe(c.expected);
          for (const s of subscribers) {
            expect(s.terminal).toBe(s.expectTerminal ? 1 : 0);
            expect(s.nexts).toBe(s.expectTerminal && state === 'fulfilled' ? 1 : 0);
          }
        }),
        { numRuns: 500 },
      );
    }, SLOW_TEST_MS);
  });
});

describe('Pending unobserved-failure reports after an aborted TestScheduler.run()', () => {
  it('should still report a later failure when a run() was aborted before its report flush ran', async () => {
    const { createTestScheduler } = await import('../helpers/testScheduler.js');
    expect(() =>
      createTestScheduler().run(() => {
        new Pending<void>().setException(new Error('inside the aborted run'));
        throw new Error('the test body failed');
      }),
    ).toThrow('the test body failed');
    new Pending<void>().setException(new Error('after the run'));
    const reports = await takeReports();
    expect(reports.map((r) => (r.error as Error).message)).toContain('after the run');
  });
});

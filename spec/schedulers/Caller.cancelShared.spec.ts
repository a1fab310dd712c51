import { PendingCancelled } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import { Caller } from '../../schedulers/Caller.js';
import { rejectionOf, stopAllCallers, thrownBy } from '../helpers/callers.js';

/** Cancellation at scale: one PendingCancelled per stop(), errors made when first read, reasons kept. */
describe('Caller.stop() and Pending.cancel() at scale', () => {
  afterEach(stopAllCallers);

  it('should give every call a stop() cancels while queued the same PendingCancelled, with the reason', async () => {
    const caller = new Caller({ name: 'busy' });
    const calls = Array.from({ length: 1000 }, (_, i) => caller.callSoon(() => i));
    caller.stop();
    const errors = await Promise.all(calls.map((p) => rejectionOf(p)));
    expect(errors[0]).toBeInstanceOf(PendingCancelled);
    expect((errors[0] as PendingCancelled).reasons).toEqual(["caller 'busy' stopped"]);
    expect((errors[0] as Error).message).toBe("Pending was cancelled: caller 'busy' stopped");
    expect(new Set(errors).size).toBe(1);
    expect(calls.every((p) => p.state === 'cancelled')).toBe(true);
  });

  it('should settle a queued call a stop() cancels with the very PendingCancelled its signal was aborted with', async () => {
    const caller = new Caller();
    const calls = [caller.callSoon(() => 1), caller.callSoon(() => 2)];
    const signals = calls.map((call) => call.signal);
    caller.stop();
    const errors = [await rejectionOf(calls[0]!), await rejectionOf(calls[1]!)];
    expect(errors[0]).toBeInstanceOf(PendingCancelled);
    expect(signals.map((signal) => signal.reason)).toEqual([errors[0], errors[0]]);
    expect(errors[1]).toBe(errors[0]);
    expect(signals[0]!.reason).toBe(errors[0]);
  });

  it('should make the PendingCancelled of a cancelled pending once, when first read, and keep it', async () => {
    const p = new Pending<number>();
    p.cancel('first');
    const viaResult = (() => {
      try {
        return p.result();
      } catch (error) {
        return error;
      }
    })();
    expect(viaResult).toBeInstanceOf(PendingCancelled);
    expect((viaResult as PendingCancelled).reasons).toEqual(['first']);
    expect(await rejectionOf(p)).toBe(viaResult);
    const seen: unknown[] = [];
    p.subscribe({ error: (e: unknown) => seen.push(e) });
    expect(seen).toEqual([viaResult]);
  });

  it('should share one PendingCancelled among pendings cancelled for the same reasons and read in one tick', async () => {
    const [a, b, c] = [new Pending(), new Pending(), new Pending()];
    a.cancel('gone');
    b.cancel('gone');
    c.cancel('other');
    const [ea, eb, ec] = [thrownBy(() => a.result()), thrownBy(() => b.result()), thrownBy(() => c.result())];
    expect(ea).toBeInstanceOf(PendingCancelled);
    expect(ea).toBe(eb);
    expect(ec).not.toBe(ea);
    expect((ec as PendingCancelled).reasons).toEqual(['other']);
    expect(await rejectionOf(a)).toBe(ea);
    const later = new Pending();
    later.cancel('gone');
    expect(thrownBy(() => later.result())).not.toBe(ea);
  });

  it('should give a pending cancelled on its own its own error, not the one a stop() shared', async () => {
    const caller = new Caller();
    const mine = caller.callSoon(() => 1);
    mine.cancel('mine');
    const queued = caller.callSoon(() => 2);
    caller.stop();
    const [a, b] = [await rejectionOf(mine), await rejectionOf(queued)];
    expect(a).not.toBe(b);
    expect((a as PendingCancelled).reasons).toEqual(['mine']);
    expect((b as PendingCancelled).reasons).toEqual([`caller '${caller.name}' stopped`]);
  });
});

/**
 * How a settlement reaches those waiting (lib/internal/settlement.ts), in the corners mutation testing
 * showed no other test pinned: a pending settled while another settlement's callbacks run, listeners
 * added or removed while it waits its turn, and a rejection with `undefined`.
 */
import { Pending } from '../../lib/Pending.js';
import { rejectionOf, thrownBy } from '../helpers/outcomes.js';
import { takeReports } from '../helpers/reports.js';

describe('Pending settlement', () => {
  describe('a pending settled by a callback of another settlement', () => {
    it('should run the listeners added while it waits its turn after those added before, in registration order', () => {
      const a = new Pending<number>();
      const b = new Pending<number>();
      const order: string[] = [];
      b.addDoneCallback(() => order.push('b: first'));
      a.addDoneCallback(() => {
        b.setResult(2); // b's listeners wait until a's have run
        b.addDoneCallback(() => order.push('b: added while waiting'));
        b.subscribe((value) => order.push(`b: subscribed while waiting, got ${value}`));
        order.push('a');
      });
      a.setResult(1);
      expect(order).toEqual(['a', 'b: first', 'b: added while waiting', 'b: subscribed while waiting, got 2']);
    });

    it('should call nothing, and report nothing, for a done callback removed before its turn came', async () => {
      const a = new Pending<number>();
      const b = new Pending<number>();
      const called: string[] = [];
      const callback = () => called.push('b');
      b.addDoneCallback(callback);
      a.addDoneCallback(() => {
        b.setResult(2);
        expect(b.removeDoneCallback(callback)).toBe(1);
      });
      a.setResult(1);
      expect(called).toEqual([]);
      expect(await takeReports()).toEqual([]);
    });

    it('should deliver nothing, and report nothing, to a subscriber that unsubscribed before its turn came', async () => {
      const a = new Pending<number>();
      const b = new Pending<number>();
      const seen: string[] = [];
      const subscription = b.subscribe({ next: (v) => seen.push(`next ${v}`), complete: () => seen.push('complete') });
      a.addDoneCallback(() => {
        b.setResult(2);
        subscription.unsubscribe();
      });
      a.setResult(1);
      expect(seen).toEqual([]);
      expect(b.state).toBe('fulfilled');
      expect(await takeReports()).toEqual([]);
    });
  });

  describe('a rejection with `undefined`', () => {
    it('should hand out `undefined` as the error everywhere, not a cancellation', async () => {
      const p = new Pending<number>();
      p.setException(undefined);
      expect(p.state).toBe('rejected');
      expect(thrownBy(() => p.result())).toBeUndefined();
      expect(p.exception()).toBeUndefined();
      const errors: unknown[] = [];
      p.subscribe({ error: (error: unknown) => errors.push(error) });
      expect(errors).toEqual([undefined]);
      expect(await rejectionOf(p)).toBeUndefined();
    });
  });
});

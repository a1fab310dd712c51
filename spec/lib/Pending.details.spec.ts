/**
 * Behaviours of Pending that mutation testing showed no other test pinned (see CONTRIBUTING.md,
 * "Mutation testing"): option validation, cancellation corner cases and the description.
 */
import { PendingCancelled } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import { rejectionOf, thrownBy } from '../helpers/outcomes.js';
import { takeReports } from '../helpers/reports.js';

describe('Pending (details)', () => {
  describe('options', () => {
    it('should name the argument or option that is wrong, in every method that checks one', () => {
      const p = new Pending<number>();
      const five = '`5` (number)';
      const cases: [() => unknown, string][] = [
        [() => new Pending(5 as never), `Expected \`options\` to be an options object or undefined, got ${five}`],
        [() => new Pending({ protect: 5 as never }), `Expected \`options.protect\` to be a boolean, got ${five}`],
        [() => Pending.from([1], 5 as never), `Expected \`options\` to be an options object or undefined, got ${five}`],
        [() => Pending.from([1], { protect: 5 as never }), `Expected \`options.protect\` to be a boolean, got ${five}`],
        [() => p.setCanceller(5 as never), `Expected \`canceller\` to be a function, got ${five}`],
        [() => p.addDoneCallback(5 as never), `Expected \`callback\` to be a function, got ${five}`],
        [() => p.removeDoneCallback(5 as never), `Expected \`callback\` to be a function, got ${five}`],
        [() => p.wait(5 as never), `Expected \`options\` to be an options object or undefined, got ${five}`],
        [() => p.wait({ timeout: 'soon' as never }), 'Expected `options.timeout` to be a number of milliseconds, got `"soon"` (string)'],
        [() => p.wait({ protect: 5 as never }), `Expected \`options.protect\` to be a boolean, got ${five}`],
      ];
      for (const [call, message] of cases) expect([message, thrownBy(call)]).toEqual([message, new TypeError(message)]);
      expect(p.state).toBe('pending');
    });

    it('should refuse `metadata: null`, naming the option', () => {
      expect(thrownBy(() => new Pending({ metadata: null as never }))).toEqual(new TypeError('Expected `options.metadata` to be an object, got `null` (null)'));
    });

    it('should refuse a signal that is not an AbortSignal, naming the option', () => {
      expect(thrownBy(() => new Pending({ signal: {} as AbortSignal }))).toEqual(new TypeError('Expected `options.signal` to be an AbortSignal, got `[object Object]` (object)'));
    });

    it('should refuse a function as the signal, even one with an addEventListener', () => {
      const fake = Object.assign(() => undefined, { aborted: false, addEventListener: () => undefined, removeEventListener: () => undefined });
      const thrown = thrownBy(() => new Pending({ signal: fake as unknown as AbortSignal }));
      expect(thrown).toBeInstanceOf(TypeError);
      expect((thrown as TypeError).message).toMatch(/^Expected `options.signal` to be an AbortSignal, got .*\(function\)$/);
    });

    it('should cancel with "signal aborted" for an aborted signal that gives no reason', () => {
      const bare = { aborted: true, reason: undefined, addEventListener: () => undefined, removeEventListener: () => undefined };
      const p = new Pending<number>({ signal: bare as unknown as AbortSignal });
      expect(p.state).toBe('cancelled');
      expect(thrownBy(() => p.result())).toEqual(new PendingCancelled(['signal aborted']));
    });

    it('should cancel with the message of an Error the signal aborted with, not its description', () => {
      const p = new Pending<number>({ signal: AbortSignal.abort(new RangeError('gone')) });
      expect(thrownBy(() => p.result())).toEqual(new PendingCancelled(['gone']));
    });
  });

  describe('Pending.from() of a hostile input', () => {
    // Each fails its own pending, never the caller of Pending.from (issue 8, item 1).
    it.each([
      ['a Proxy whose getPrototypeOf trap throws', () => new Proxy({}, { getPrototypeOf: () => { throw new Error('trap'); } }), 'trap'],
      ['a native promise whose own then throws', () => Object.assign(Promise.resolve(1), { then: () => { throw new Error('own then'); } }), 'own then'],
      ['an object whose Symbol.iterator getter throws', () => ({ get [Symbol.iterator](): never { throw new Error('no iterator'); } }), 'no iterator'],
    ])('should fail the pending with the error of %s', (_what, make, message) => {
      const p = Pending.from(make() as never);
      expect(p.state).toBe('rejected');
      expect(p.exception()).toEqual(new Error(message));
    });
  });

  describe('the PendingCancelled shared within one tick', () => {
    /** A pending cancelled for `reasons`, each given in a cancel() while its canceller lets it run on. */
    function cancelledFor(...reasons: string[]): Pending<number> {
      const p = new Pending<number>();
      p.setCanceller(() => undefined);
      for (const reason of reasons) p.cancel(reason);
      p._settleCancelled();
      return p;
    }

    it('should make a new one after the tick, even for the same reasons read last', async () => {
      const before = thrownBy(() => cancelledFor('same').result());
      await Promise.resolve();
      await Promise.resolve();
      const after = thrownBy(() => cancelledFor('same').result());
      expect(after).toEqual(before);
      expect(after).not.toBe(before);
    });

    it('should share only between equal reason lists, not lists that start alike or join alike', () => {
      const ab = thrownBy(() => cancelledFor('a', 'b').result()) as PendingCancelled;
      const ac = thrownBy(() => cancelledFor('a', 'c').result()) as PendingCancelled;
      const joinedAlike = thrownBy(() => cancelledFor('a', 'bc').result()) as PendingCancelled;
      const joinedAlikeToo = thrownBy(() => cancelledFor('ab', 'c').result()) as PendingCancelled;
      expect([ab.reasons, ac.reasons, joinedAlike.reasons, joinedAlikeToo.reasons]).toEqual([['a', 'b'], ['a', 'c'], ['a', 'bc'], ['ab', 'c']]);
      expect(thrownBy(() => cancelledFor('ab', 'c').result())).toBe(joinedAlikeToo);
    });
  });

  describe('Pending.from() of what is not an input', () => {
    it('should throw for an input that is neither an ObservableInput nor a function, naming `input`', () => {
      expect(thrownBy(() => Pending.from(5 as never))).toEqual(
        new TypeError('Expected `input` to be an ObservableInput (Observable, Promise, iterable, async iterable) or a function returning one, got `5` (number)'),
      );
    });

    it('should reject when the function given returns what is not an ObservableInput', async () => {
      expect(await rejectionOf(Pending.from(() => 5 as never))).toEqual(new TypeError('Expected the function given to `Pending.from` to return an ObservableInput, got `5` (number)'));
    });
  });

  describe('subscribe() and cancellation', () => {
    it('should not report the cancellation to a subscriber without an error handler', async () => {
      const p = new Pending<number>();
      const seen: string[] = [];
      p.subscribe((v) => seen.push(`next ${v}`));
      p.subscribe({ complete: () => seen.push('complete') });
      p.cancel('gone');
      expect(seen).toEqual([]);
      expect(await takeReports()).toEqual([]);
    });

    it('should hand the error to an error handler given in the three-argument form', () => {
      const cancelled = new Pending<number>();
      const rejected = new Pending<number>();
      const failure = new Error('failed');
      const errors: unknown[] = [];
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated form is still served
      cancelled.subscribe(null, (error: unknown) => errors.push(error));
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated form is still served
      rejected.subscribe(undefined, (error: unknown) => errors.push(error));
      cancelled.cancel('gone');
      rejected.setException(failure);
      expect(errors).toEqual([new PendingCancelled(['gone']), failure]);
    });
  });

  describe('cancel()', () => {
    it('should not call the canceller when an abort listener settles the pending during cancel()', () => {
      const p = new Pending<number>();
      const canceller = jest.fn();
      p.setCanceller(canceller);
      p.signal.addEventListener('abort', () => p.setResult(1));
      expect(p.cancel('stop')).toBe(true);
      expect(canceller).not.toHaveBeenCalled();
      expect(p.state).toBe('cancelled');
    });

    it('should keep no reason for a cancel() given none', () => {
      const p = new Pending<number>();
      p.cancel();
      const error = thrownBy(() => p.result()) as PendingCancelled;
      expect([error.reasons, error.message]).toEqual([[], 'Pending was cancelled']);
    });

    it('should give a PendingCancelled without `cause` when a cancelling pending is fulfilled', () => {
      const p = new Pending<number>();
      p.setCanceller(() => undefined);
      p.cancel('stop');
      p.setResult(1);
      const error = p.exception.bind(p);
      const thrown = thrownBy(error) as PendingCancelled;
      expect(thrown).toEqual(new PendingCancelled(['stop']));
      expect('cause' in thrown).toBe(false);
    });

    it('should keep the error as `cause` when a cancelling pending is rejected', () => {
      const p = new Pending<number>();
      p.setCanceller(() => undefined);
      p.cancel('stop');
      const failure = new Error('late');
      p.setException(failure);
      expect((thrownBy(() => p.result()) as PendingCancelled).cause).toBe(failure);
    });
  });

  describe('setCanceller()', () => {
    it('should call a canceller set on a cancelling pending at once, with every reason so far', () => {
      const p = new Pending<number>();
      p.setCanceller(() => undefined);
      p.cancel('one');
      p.cancel('two');
      const late = jest.fn();
      p.setCanceller(late);
      expect(late.mock.calls).toEqual([['one; two']]);
      expect(p.state).toBe('cancelling');
    });

    // A canceller that throws cannot settle its pending any more, so the pending ends cancelled (DESIGN §7: nothing wedges).
    it('should report a canceller that throws when set on a cancelling pending, and end cancelled', async () => {
      const p = new Pending<number>();
      p.setCanceller(() => undefined);
      p.cancel('one');
      const failure = new Error('canceller failed');
      p.setCanceller(() => {
        throw failure;
      });
      expect(p.state).toBe('cancelled');
      expect((await takeReports()).map((r) => [r.kind, r.error, r.pending === p])).toEqual([['unobserved', failure, true]]);
    });

    it('should ignore a canceller set on a settled pending', () => {
      const p = new Pending<number>();
      p.setResult(1);
      const canceller = jest.fn();
      p.setCanceller(canceller);
      expect(p.cancel('late')).toBe(false);
      expect(canceller).not.toHaveBeenCalled();
    });
  });

  describe('toString()', () => {
    it('should name the state, and the non-empty reasons once cancelled', () => {
      const p = new Pending<number>();
      expect(String(p)).toBe('<Pending pending>');
      p.setCanceller(() => undefined);
      p.cancel('one');
      p.cancel('');
      p.cancel('two');
      expect(String(p)).toBe('<Pending cancelling (one; two)>');
      p._settleCancelled();
      expect(String(p)).toBe('<Pending cancelled (one; two)>');
      const q = new Pending<number>();
      q.setResult(1);
      expect(String(q)).toBe('<Pending fulfilled>');
    });
  });
});

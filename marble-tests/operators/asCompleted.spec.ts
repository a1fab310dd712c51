import { map, mergeMap, of, type OperatorFunction } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { DeadlockError } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import type { AsCompletedOptions, Awaitable } from '../../lib/types.js';
import { asCompleted } from '../../operators/asCompleted.js';
import { takeReportsNow } from '../../spec/helpers/reports.js';
import { createTestScheduler } from '../../spec/helpers/testScheduler.js';
import { outcome, subscribedIn } from './helpers.js';

/** asCompleted, with each emitted Pending shown as its outcome (value, error or 'cancelled'). */
function completed<T>(options?: AsCompletedOptions): OperatorFunction<Awaitable<T>, unknown> {
  return (source) => source.pipe(asCompleted(options), map(outcome));
}

describe('asCompleted', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = createTestScheduler();
  });

  it('should emit members in the order they settle', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('   -----a|');
      const b = cold('     --b|');
      const asubs = '    -^-----!';
      const bsubs = '    ---^--!';
      const e1 = hot('   -a-b-----|', { a, b });
      const e1subs = '   ^--------!';
      const expected = ' ------ba-|';
      expectObservable(e1.pipe(completed())).toBe(expected, { a: 'a', b: 'b' });
      expectSubscriptions(a.subscriptions).toBe(asubs);
      expectSubscriptions(b.subscriptions).toBe(bsubs);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should emit a Pending member as itself, settled', () => {
    const p = new Pending<string>();
    const seen: Pending<string>[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      testScheduler.schedule(() => p.setResult('p'), 2);
      const result = cold('a|', { a: p }).pipe(
        asCompleted(),
        map((x) => {
          seen.push(x);
          return x.done;
        }),
      );
      expectObservable(result).toBe('--(t|)', { t: true });
    });
    expect(seen).toEqual([p]);
    expect(seen[0]).toBe(p);
  });

  it('should emit members already settled when reached at once, in source order', () => {
    const p = new Pending<string>();
    const q = new Pending<string>();
    p.setResult('p');
    q.setException(new Error('q failed'));
    testScheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-(qp)-|', { p, q }).pipe(completed())).toBe('-(qp)-|', { p: 'p', q: new Error('q failed') });
    });
  });

  it('should emit members settling in the same frame in the order they settle', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('--a|');
      const b = cold('--b|');
      // Both complete in frame 3: b was subscribed first, so its completion is scheduled (and runs) first.
      expectObservable(cold('(ba|)', { a, b }).pipe(completed())).toBe('---(ba|)', { a: 'a', b: 'b' });
    });
  });

  it('should emit a failed or cancelled member, not throw it', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('--#', undefined, new Error('a failed'));
      const p = new Pending<string>();
      testScheduler.schedule(() => p.cancel('stop'), 3);
      const c = cold('-----c|');
      expectObservable(cold('(apc|)', { a, p, c }).pipe(completed())).toBe('--ab--(c|)', {
        a: new Error('a failed'),
        b: 'cancelled',
        c: 'c',
      });
    });
  });

  it('should complete when the source completes with nothing unfinished', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold('---|');
      expectObservable(e1.pipe(completed())).toBe('---|');
      expectSubscriptions(e1.subscriptions).toBe('^--!');
    });
  });

  it('should work with a synchronous source of synchronous members', () => {
    testScheduler.run(({ expectObservable }) => {
      expectObservable(of(of(1), [2], of(3)).pipe(completed())).toBe('(abc|)', { a: 1, b: 2, c: 3 });
    });
  });

  it('should pass on a source error and cancel the unfinished members', () => {
    const p = new Pending<string>();
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  ------a|');
      const asubs = '   -^---!';
      const e1 = hot('  -(ap)#', { a, p }, new Error('source failed'));
      const expected = '-----#';
      expectObservable(e1.pipe(completed())).toBe(expected, undefined, new Error('source failed'));
      expectSubscriptions(a.subscriptions).toBe(asubs);
    });
    expect(p.state).toBe('cancelled');
  });

  it('should cancel every unfinished member on early unsubscription, passed-in Pendings included', () => {
    const shared = new Pending<string>();
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      shared.subscribe({ error: () => undefined });
      const a = cold('  --a|');
      const b = cold('  ------b|');
      const asubs = '   -^--!';
      const bsubs = '   -^---!';
      const e1 = hot('  -(abs)----|', { a, b, s: shared });
      const e1subs = '  ^----!';
      expectObservable(e1.pipe(completed()), '-----!').toBe('----a', { a: 'a' });
      expectSubscriptions(a.subscriptions).toBe(asubs);
      expectSubscriptions(b.subscriptions).toBe(bsubs);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
    expect(shared.state).toBe('cancelled');
  });

  it('should leave unfinished members running with cancelUnfinished: false', () => {
    const p = new Pending<string>();
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const b = cold('  ------b|');
      const bsubs = '   -^------!';
      const e1 = hot('  -(bp)-----|', { b, p });
      expectObservable(e1.pipe(completed({ cancelUnfinished: false })), '---!').toBe('---');
      expectSubscriptions(b.subscriptions).toBe(bsubs);
    });
    expect(p.state).toBe('pending');
  });

  it('should report a member left running by cancelUnfinished: false that later fails unobserved', () => {
    const p = new Pending<string>();
    testScheduler.run(({ cold, expectObservable }) => {
      testScheduler.schedule(() => p.setException(new Error('late failure')), 5);
      expectObservable(cold('p', { p }).pipe(completed({ cancelUnfinished: false })), '--!').toBe('--');
    });
    const reports = takeReportsNow();
    expect(reports).toHaveLength(1);
    expect(reports[0]!.pending).toBe(p);
    expect(reports[0]!.error).toEqual(new Error('late failure'));
  });

  it('should not report a failed member it emitted', () => {
    const p = new Pending<string>();
    testScheduler.run(({ cold, expectObservable }) => {
      testScheduler.schedule(() => p.setException(new Error('failed')), 2);
      expectObservable(cold('p|', { p }).pipe(asCompleted(), map((x) => x.state))).toBe('--(r|)', { r: 'rejected' });
    });
    expect(takeReportsNow()).toEqual([]);
  });

  it('should not break unsubscription chain when unsubscribed explicitly', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  ------a|');
      const asubs = '   -^---!';
      const e1 = hot('  -a--------|', { a });
      const e1subs = '  ^----!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        asCompleted(),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, '-----!').toBe('------');
      expectSubscriptions(a.subscriptions).toBe(asubs);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should call a thunk only when it reaches it', () => {
    const callsAt: number[] = [];
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  --a|');
      const e1 = hot('  --t--|', {
        t: () => {
          callsAt.push(testScheduler.now());
          return a;
        },
      });
      expectObservable(e1.pipe(completed())).toBe('-----(a|)', { a: 'a' });
      expectSubscriptions(a.subscriptions).toBe('--^--!');
    });
    expect(callsAt).toEqual([2]);
  });

  it('should run at most maxConcurrent members and take the next as each settles', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('----a|');
      const b = cold('-b|');
      const c = cold('-c|');
      const d = cold('d|');
      const e1 = cold('(abcd|)', { a: () => a, b: () => b, c: () => c, d: () => d });
      expectObservable(e1.pipe(completed({ maxConcurrent: 2 }))).toBe('--b-c(ad|)', {
        a: 'a',
        b: 'b',
        c: 'c',
        d: 'd',
      });
      expectSubscriptions(a.subscriptions).toBe('^----!');
      expectSubscriptions(b.subscriptions).toBe('^-!');
      expectSubscriptions(c.subscriptions).toBe('--^-!');
      expectSubscriptions(d.subscriptions).toBe('----^!');
    });
  });

  it('should emit a held-back Pending that settled while waiting at once when reached', () => {
    const p = new Pending<string>();
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('---a|');
      testScheduler.schedule(() => p.setResult('p'), 1);
      expectObservable(cold('(ap|)', { a: () => a, p }).pipe(completed({ maxConcurrent: 1 }))).toBe('----(ap|)', { a: 'a', p: 'p' });
    });
  });

  it('should never start held-back members after an unsubscribe', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('----a|');
      const b = cold('-b|');
      expectObservable(cold('(ab|)', { a: () => a, b: () => b }).pipe(completed({ maxConcurrent: 1 })), '--!').toBe('--');
      expectSubscriptions(a.subscriptions).toBe('^-!');
      expectSubscriptions(b.subscriptions).toBe([]);
    });
  });

  it('should emit a member that is not awaitable as a Pending failed with a TypeError', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const bad = null as unknown as Awaitable<number>;
      expectObservable(cold('-a|', { a: bad }).pipe(completed())).toBe('-a|', {
        a: new TypeError('Expected each member to be a Pending, an ObservableInput or a function returning one, got `null` (null)'),
      });
    });
  });

  it('should error with DeadlockError when iterating over the pending whose work subscribes, cancelling the others', () => {
    const self = new Pending<string>();
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('---a|');
      const result = subscribedIn(self, cold('(ab|)', { a, b: self }).pipe(completed()));
      expectObservable(result).toBe('#', undefined, new DeadlockError('Deadlock: a call cannot wait for its own pending (it would never settle)'));
      expectSubscriptions(a.subscriptions).toBe('(^!)');
    });
    expect(self.state).toBe('pending');
  });
});

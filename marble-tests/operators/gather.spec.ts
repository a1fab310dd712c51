import { EmptyError, mergeMap, of, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { DeadlockError, PendingCancelled } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import type { Awaitable } from '../../lib/types.js';
import { gather } from '../../operators/gather.js';
import { takeReportsNow } from '../../spec/helpers/reports.js';
import { createTestScheduler } from '../../spec/helpers/testScheduler.js';
import { subscribedIn } from './helpers.js';

/** gather: forkJoin over a stream of Awaitables, in virtual time. */
describe('gather', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = createTestScheduler();
  });

  it('should emit the results in source order once the source completed and every member settled', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('     -----x|');
      const b = cold('        -y|');
      const asubs = '    --^-----!';
      const bsubs = '    -----^-!';
      const e1 = hot('   --a--b--|', { a, b });
      const e1subs = '   ^-------!';
      const expected = ' --------(r|)';
      expectObservable(e1.pipe(gather())).toBe(expected, { r: ['x', 'y'] });
      expectSubscriptions(a.subscriptions).toBe(asubs);
      expectSubscriptions(b.subscriptions).toBe(bsubs);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should wait for the last member after the source completed', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  --x|');
      const b = cold('  -------y|');
      const bsubs = '   -^-------!';
      const e1 = hot('  -(ab|)', { a, b });
      const expected = '---------(r|)';
      expectObservable(e1.pipe(gather())).toBe(expected, { r: ['x', 'y'] });
      expectSubscriptions(b.subscriptions).toBe(bsubs);
    });
  });

  it('should take the last value of an Observable member', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('-1-2-3|');
      expectObservable(of(a).pipe(gather())).toBe('------(r|)', { r: ['3'] });
    });
  });

  it('should emit [] for an empty source, when it completes', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold('---|');
      expectObservable(e1.pipe(gather())).toBe('---(r|)', { r: [] });
      expectSubscriptions(e1.subscriptions).toBe('^--!');
    });
  });

  it('should work with a synchronous source of synchronous members', () => {
    testScheduler.run(({ expectObservable }) => {
      expectObservable(of(of(1), [2], of(3)).pipe(gather())).toBe('(r|)', { r: [1, 2, 3] });
    });
  });

  it('should error at once with the first failure and unsubscribe the other members and the source', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  ---#', undefined, new Error('a failed'));
      const b = cold('  ---------y|');
      const asubs = '   -^--!';
      const bsubs = '   -^--!';
      const e1 = hot('  -(ab)-----|', { a, b });
      const e1subs = '  ^---!';
      const expected = '----#';
      expectObservable(e1.pipe(gather())).toBe(expected, undefined, new Error('a failed'));
      expectSubscriptions(a.subscriptions).toBe(asubs);
      expectSubscriptions(b.subscriptions).toBe(bsubs);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should error with EmptyError for an Observable member that completes with no value', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('--|');
      expectObservable(of(a).pipe(gather())).toBe('--#', undefined, new EmptyError());
    });
  });

  it('should pass on a source error at once and unsubscribe the members', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  ------x|');
      const asubs = '   -^--!';
      const e1 = hot('  -a--#', { a }, new Error('source failed'));
      const expected = '----#';
      expectObservable(e1.pipe(gather())).toBe(expected, undefined, new Error('source failed'));
      expectSubscriptions(a.subscriptions).toBe(asubs);
    });
  });

  it('should unsubscribe the source and the members on early unsubscription', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  ------x|');
      const b = cold('  ------y|');
      const asubs = '   -^---!';
      const bsubs = '   ---^-!';
      const e1 = hot('  -a-b------|', { a, b });
      const e1subs = '  ^----!';
      const unsub = '   -----!';
      expectObservable(e1.pipe(gather()), unsub).toBe('------');
      expectSubscriptions(a.subscriptions).toBe(asubs);
      expectSubscriptions(b.subscriptions).toBe(bsubs);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should not break unsubscription chain when unsubscribed explicitly', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  ------x|');
      const asubs = '   -^---!';
      const e1 = hot('  -a--------|', { a });
      const e1subs = '  ^----!';
      const unsub = '   -----!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        gather(),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, unsub).toBe('------');
      expectSubscriptions(a.subscriptions).toBe(asubs);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should gather Pending members, settled in virtual time', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const p = new Pending<string>();
      const q = new Pending<string>();
      testScheduler.schedule(() => q.setResult('q'), 2);
      testScheduler.schedule(() => p.setResult('p'), 5);
      expectObservable(cold('(ab|)', { a: p, b: q }).pipe(gather())).toBe('-----(r|)', { r: ['p', 'q'] });
    });
  });

  it('should use an already settled Pending member at once', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const p = new Pending<string>();
      p.setResult('p');
      expectObservable(cold('-a-|', { a: p }).pipe(gather())).toBe('---(r|)', { r: ['p'] });
    });
  });

  it('should cancel a passed-in Pending it alone observes, and not one someone else also subscribes to', () => {
    const alone = new Pending<string>();
    const shared = new Pending<string>();
    testScheduler.run(({ cold, expectObservable }) => {
      shared.subscribe({ error: () => undefined });
      expectObservable(cold('(ab)', { a: alone, b: shared }).pipe(gather()), '---!').toBe('---');
    });
    expect(alone.state).toBe('cancelled');
    expect(shared.state).toBe('pending');
  });

  it('should not cancel a protected Pending when it stops observing it', () => {
    const p = new Pending<string>({ protect: true });
    testScheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('a', { a: p }).pipe(gather()), '--!').toBe('--');
    });
    expect(p.state).toBe('pending');
  });

  it('should call a thunk only when it reaches it', () => {
    let calls = 0;
    const callsAt: number[] = [];
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  --x|');
      const asubs = '   ---^--!';
      const thunk = () => {
        calls++;
        callsAt.push(testScheduler.now());
        return a;
      };
      const e1 = hot('  ---a--|', { a: thunk });
      expectObservable(e1.pipe(gather())).toBe('------(r|)', { r: ['x'] });
      expectSubscriptions(a.subscriptions).toBe(asubs);
    });
    expect(calls).toBe(1);
    expect(callsAt).toEqual([3]);
  });

  it('should use the Pending a thunk returns as itself', () => {
    const p = new Pending<string>();
    testScheduler.run(({ cold, expectObservable }) => {
      testScheduler.schedule(() => p.setResult('p'), 4);
      expectObservable(cold('a|', { a: () => p }).pipe(gather())).toBe('----(r|)', { r: ['p'] });
    });
  });

  it('should fail with a TypeError naming the member when a member is not awaitable', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const bad = 42 as unknown as Awaitable<number>;
      expectObservable(cold('-a|', { a: bad }).pipe(gather())).toBe(
        '-#',
        undefined,
        new TypeError('Expected each member to be a Pending, an ObservableInput or a function returning one, got `42` (number)'),
      );
    });
  });

  it('should fail with what a thunk throws', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const thunk = (): Observable<number> => {
        throw new Error('thunk threw');
      };
      expectObservable(cold('-a|', { a: thunk }).pipe(gather())).toBe('-#', undefined, new Error('thunk threw'));
    });
  });

  it('should run at most `concurrency` members, starting the next in source order as slots free', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('---a|');
      const b = cold('-b|');
      const c = cold('--c|');
      const d = cold('d|');
      const asubs = '^---!';
      const bsubs = '^-!';
      const csubs = '--^--!';
      const dsubs = '----^!';
      const e1 = cold('(abcd|)', { a: () => a, b: () => b, c: () => c, d: () => d });
      expectObservable(e1.pipe(gather({ concurrency: 2 }))).toBe('-----(r|)', { r: ['a', 'b', 'c', 'd'] });
      expectSubscriptions(a.subscriptions).toBe(asubs);
      expectSubscriptions(b.subscriptions).toBe(bsubs);
      expectSubscriptions(c.subscriptions).toBe(csubs);
      expectSubscriptions(d.subscriptions).toBe(dsubs);
    });
  });

  it('should never start a held-back member after a failure', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('--#', undefined, new Error('a failed'));
      const b = cold('-b|');
      let called = false;
      const e1 = cold('(ab|)', {
        a: () => a,
        b: () => {
          called = true;
          return b;
        },
      });
      expectObservable(e1.pipe(gather({ concurrency: 1 }))).toBe('--#', undefined, new Error('a failed'));
      expectSubscriptions(a.subscriptions).toBe('^-!');
      expectSubscriptions(b.subscriptions).toBe([]);
      testScheduler.flush();
      expect(called).toBe(false);
    });
  });

  it('should never start a held-back member after an unsubscribe', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('----a|');
      const b = cold('-b|');
      const e1 = cold('(ab|)', { a: () => a, b: () => b });
      expectObservable(e1.pipe(gather({ concurrency: 1 })), '--!').toBe('--');
      expectSubscriptions(a.subscriptions).toBe('^-!');
      expectSubscriptions(b.subscriptions).toBe([]);
    });
  });

  it('should put failures in place with returnExceptions, cancellations as PendingCancelled', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('--#', undefined, new Error('a failed'));
      const p = new Pending<string>();
      testScheduler.schedule(() => p.cancel('no longer needed'), 3);
      const c = cold('----c|');
      const expected = '-----(r|)';
      expectObservable(cold('(apc|)', { a, p, c }).pipe(gather({ returnExceptions: true }))).toBe(expected, {
        r: [new Error('a failed'), new PendingCancelled(['no longer needed']), 'c'],
      });
    });
  });

  it('should error with DeadlockError when gathering the pending whose work subscribes', () => {
    const self = new Pending<string>();
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('---a|');
      const result = subscribedIn(self, cold('(ab|)', { a, b: self }).pipe(gather({ returnExceptions: true })));
      expectObservable(result).toBe('#', undefined, new DeadlockError('Deadlock: a call cannot wait for its own pending (it would never settle)'));
      expectSubscriptions(a.subscriptions).toBe('(^!)');
    });
    expect(self.state).toBe('pending');
  });

  it('should not report a sibling that fails after gather errored', () => {
    const sibling = new Pending<string>({ protect: true });
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('-#', undefined, new Error('a failed'));
      testScheduler.schedule(() => sibling.setException(new Error('sibling failed')), 3);
      expectObservable(cold('(ab)', { a, b: sibling }).pipe(gather())).toBe('-#', undefined, new Error('a failed'));
    });
    expect(sibling.state).toBe('rejected');
    expect(takeReportsNow()).toEqual([]);
  });
});

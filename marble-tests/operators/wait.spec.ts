import { map, mergeMap, NEVER, of, type OperatorFunction } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { DeadlockError } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import type { Awaitable, WaitOptions } from '../../lib/types.js';
import { wait } from '../../operators/wait.js';
import { Caller } from '../../schedulers/Caller.js';
import { takeReportsNow } from '../../spec/helpers/reports.js';
import { createTestScheduler } from '../../spec/helpers/testScheduler.js';
import { outcome, subscribedIn } from './helpers.js';

/** wait, with its result shown as the outcomes in `done` (in settlement order) and the size of `pending`. */
function waited<T>(options?: WaitOptions): OperatorFunction<Awaitable<T>, { done: unknown[]; pending: number }> {
  return (source) => source.pipe(
    wait(options),
    map(({ done, pending }) => ({ done: [...done].map(outcome), pending: pending.size })),
  );
}

describe('wait', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = createTestScheduler();
  });

  it('should emit once every member settled, after the source completed (ALL_COMPLETED)', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('   -----a|');
      const b = cold('     --b|');
      const asubs = '    -^-----!';
      const bsubs = '    ---^--!';
      const e1 = hot('   -a-b-|', { a, b });
      const e1subs = '   ^----!';
      const expected = ' -------(r|)';
      expectObservable(e1.pipe(waited())).toBe(expected, { r: { done: ['b', 'a'], pending: 0 } });
      expectSubscriptions(a.subscriptions).toBe(asubs);
      expectSubscriptions(b.subscriptions).toBe(bsubs);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should emit as soon as one member settled with FIRST_COMPLETED, leaving the others running', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('-----a|');
      const b = cold('--b|');
      const asubs = '^-----!';
      expectObservable(cold('(ab|)', { a, b }).pipe(waited({ returnWhen: 'FIRST_COMPLETED' }))).toBe('---(r|)', {
        r: { done: ['b'], pending: 1 },
      });
      expectSubscriptions(a.subscriptions).toBe(asubs);
    });
  });

  it('should check returnWhen only once the source completed', () => {
    testScheduler.run(({ cold, hot, expectObservable }) => {
      const a = cold('-a|');
      const b = cold('------b|');
      const e1 = hot('-a--b|', { a, b });
      expectObservable(e1.pipe(waited({ returnWhen: 'FIRST_COMPLETED' }))).toBe('-----(r|)', { r: { done: ['a'], pending: 1 } });
    });
  });

  it('should emit at the first failure with FIRST_EXCEPTION', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('-a|');
      const b = cold('---#', undefined, new Error('b failed'));
      const c = cold('-------c|');
      expectObservable(cold('(abc|)', { a, b, c }).pipe(waited({ returnWhen: 'FIRST_EXCEPTION' }))).toBe('---(r|)', {
        r: { done: ['a', new Error('b failed')], pending: 1 },
      });
    });
  });

  it('should count a cancellation as an exception with FIRST_EXCEPTION', () => {
    const p = new Pending<string>();
    testScheduler.run(({ cold, expectObservable }) => {
      const c = cold('-------c|');
      testScheduler.schedule(() => p.cancel('stop'), 2);
      expectObservable(cold('(pc|)', { p, c }).pipe(waited({ returnWhen: 'FIRST_EXCEPTION' }))).toBe('--(r|)', {
        r: { done: ['cancelled'], pending: 1 },
      });
    });
  });

  it('should emit when all settled with FIRST_EXCEPTION if none failed', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('-a|');
      const b = cold('---b|');
      expectObservable(cold('(ab|)', { a, b }).pipe(waited({ returnWhen: 'FIRST_EXCEPTION' }))).toBe('----(r|)', {
        r: { done: ['a', 'b'], pending: 0 },
      });
    });
  });

  it('should return at the timeout frame, counted from subscription, and cancel nothing', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('   -a|');
      const b = cold('   ----------b|');
      const bsubs = '    ---^----------!';
      const e1 = hot('   ---(ab)----------|', { a, b });
      const e1subs = '   --^----!';
      const subscription = '--^';
      const expected = ' -------(r|)';
      expectObservable(e1.pipe(waited({ timeout: 5 })), subscription).toBe(expected, { r: { done: ['a'], pending: 1 } });
      expectSubscriptions(b.subscriptions).toBe(bsubs);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should return at the timeout even if the source never completes', () => {
    testScheduler.run(({ expectObservable, time }) => {
      const t = time('---|');
      expectObservable(NEVER.pipe(waited({ timeout: t }))).toBe('---(r|)', { r: { done: [], pending: 0 } });
    });
  });

  it('should return at once with timeout 0, with what the source gave synchronously', () => {
    const p = new Pending<string>();
    p.setResult('p');
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('--a|');
      expectObservable(of(p, a).pipe(waited({ timeout: 0 }))).toBe('(r|)', { r: { done: ['p'], pending: 1 } });
      expectSubscriptions(a.subscriptions).toBe('^--!');
    });
  });

  it('should emit two empty sets for an empty source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const e1 = cold('--|');
      expectObservable(e1.pipe(waited())).toBe('--(r|)', { r: { done: [], pending: 0 } });
      expectSubscriptions(e1.subscriptions).toBe('^-!');
    });
  });

  it('should work with a synchronous source of synchronous members', () => {
    testScheduler.run(({ expectObservable }) => {
      expectObservable(of(of(1), [2]).pipe(waited())).toBe('(r|)', { r: { done: [1, 2], pending: 0 } });
    });
  });

  it('should pass on a source error and cancel nothing', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  -----a|');
      const asubs = '   -^-----!';
      const e1 = hot('  -a-#', { a }, new Error('source failed'));
      expectObservable(e1.pipe(waited())).toBe('---#', undefined, new Error('source failed'));
      expectSubscriptions(a.subscriptions).toBe(asubs);
    });
  });

  it('should stop waiting on early unsubscription and cancel nothing', () => {
    const p = new Pending<string>();
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  -----a|');
      const asubs = '   -^-----!';
      const e1 = hot('  -(ap)---|', { a, p });
      const e1subs = '  ^--!';
      expectObservable(e1.pipe(waited()), '---!').toBe('---');
      expectSubscriptions(a.subscriptions).toBe(asubs);
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
    expect(p.state).toBe('pending');
  });

  it('should not break unsubscription chain when unsubscribed explicitly', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  ------a|');
      const e1 = hot('  -a--------|', { a });
      const e1subs = '  ^----!';
      const result = e1.pipe(
        mergeMap((x) => of(x)),
        wait(),
        mergeMap((x) => of(x)),
      );
      expectObservable(result, '-----!').toBe('------');
      expectSubscriptions(e1.subscriptions).toBe(e1subs);
    });
  });

  it('should call a thunk when it arrives', () => {
    const callsAt: number[] = [];
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('  --a|');
      const e1 = hot('  --t|', {
        t: () => {
          callsAt.push(testScheduler.now());
          return a;
        },
      });
      expectObservable(e1.pipe(waited())).toBe('-----(r|)', { r: { done: ['a'], pending: 0 } });
      expectSubscriptions(a.subscriptions).toBe('--^--!');
    });
    expect(callsAt).toEqual([2]);
  });

  it('should count a member given twice once', () => {
    const p = new Pending<string>();
    testScheduler.run(({ cold, expectObservable }) => {
      testScheduler.schedule(() => p.setResult('p'), 2);
      expectObservable(cold('(pp|)', { p }).pipe(waited())).toBe('--(r|)', { r: { done: ['p'], pending: 0 } });
    });
  });

  it('should emit the very Pendings it was given', () => {
    const p = new Pending<string>();
    const q = new Pending<string>();
    testScheduler.run(({ cold, expectObservable }) => {
      testScheduler.schedule(() => p.setResult('p'), 1);
      const result = cold('(pq|)', { p, q }).pipe(
        wait({ timeout: 3 }),
        map(({ done, pending }) => done.has(p) && pending.has(q)),
      );
      expectObservable(result).toBe('---(t|)', { t: true });
    });
  });

  it('should error with DeadlockError when waiting on the pending whose work subscribes', () => {
    const self = new Pending<string>();
    testScheduler.run(({ cold, expectObservable }) => {
      const result = subscribedIn(self, cold('(s|)', { s: self }).pipe(waited()));
      expectObservable(result).toBe('#', undefined, new DeadlockError('Deadlock: a call cannot wait for its own pending (it would never settle)'));
    });
    expect(self.state).toBe('pending');
  });

  it('should time caller.wait on the caller, in virtual time', () => {
    const caller = new Caller({ name: 'virtual' });
    let slow!: Pending<string>;
    testScheduler.run(({ expectObservable }) => {
      const fast = caller.callLater(2, () => 'fast');
      slow = caller.callLater(10, () => 'slow');
      const result = caller.wait([fast, slow], { timeout: 4 }).pipe(map(({ done, pending }) => ({ done: [...done].map(outcome), pending: pending.size })));
      expectObservable(result).toBe('----(r|)', { r: { done: ['fast'], pending: 1 } });
    });
    expect(slow.state).toBe('fulfilled');
    caller.stop();
  });

  it('should report a member left in `pending` that later fails unobserved, and not one read from `done`', () => {
    const early = new Pending<string>();
    const late = new Pending<string>();
    testScheduler.run(({ cold, expectObservable }) => {
      testScheduler.schedule(() => early.setException(new Error('early failure')), 1);
      testScheduler.schedule(() => late.setException(new Error('late failure')), 5);
      const result = cold('(el|)', { e: early, l: late }).pipe(
        wait({ timeout: 3 }),
        map(({ done, pending }) => [[...done].map((p) => (p.exception() as Error).message), pending.size]),
      );
      expectObservable(result).toBe('---(r|)', { r: [['early failure'], 1] });
    });
    const reports = takeReportsNow();
    expect(reports.map((r) => r.pending)).toEqual([late]);
  });

  it('should report, once, a failed member handed over in `done` and left unread', () => {
    const early = new Pending<string>();
    const read = new Pending<string>();
    testScheduler.run(({ cold, expectObservable }) => {
      testScheduler.schedule(() => early.setException(new Error('early failure')), 1);
      testScheduler.schedule(() => read.setException(new Error('read failure')), 2);
      const result = cold('(er|)', { e: early, r: read }).pipe(
        wait(),
        map(({ done }) => {
          expect(read.exception()).toEqual(new Error('read failure'));
          return done.size;
        }),
      );
      // Held while wait still waits (frame 1 to 2), reported once it has been handed over unread.
      expectObservable(result).toBe('--(n|)', { n: 2 });
    });
    const reports = takeReportsNow();
    expect(reports.map((r) => r.pending)).toEqual([early]);
    expect(reports.map((r) => (r.error as Error).message)).toEqual(['early failure']);
  });
});

import { mergeMap, switchMap } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { PendingCancelled } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import { takeReportsNow } from '../../spec/helpers/reports.js';
import { createTestScheduler } from '../../spec/helpers/testScheduler.js';

/** The Observable face of Pending: hot, replaying, and synchronous at settlement, in virtual time. */
describe('Pending', () => {
  let testScheduler: TestScheduler;

  beforeEach(() => {
    testScheduler = createTestScheduler();
  });

  it('should subscribe to the source of Pending.from at once and emit its last value at completion', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--b--|');
      const subs = '       ^-------!';
      const expected = '   --------(b|)';
      const p = Pending.from(source);
      expectObservable(p).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should subscribe to the source when made, not when someone subscribes to the pending', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--b--|');
      const subs = '       ^-------!';
      const p = Pending.from(source);
      expectObservable(p, '----^').toBe('--------(b|)');
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should subscribe to the source even if nobody ever subscribes to the pending', () => {
    testScheduler.run(({ cold, expectSubscriptions }) => {
      const source = cold('--a--b--|');
      const subs = '       ^-------!';
      Pending.from(source);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should notify in the very frame the pending settles', () => {
    const p = new Pending<string>();
    testScheduler.run(({ expectObservable }) => {
      testScheduler.schedule(() => p.setResult('a'), 3);
      expectObservable(p).toBe('---(a|)');
    });
  });

  it('should pass on the error of the source', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a-#', undefined, new Error('source failed'));
      const subs = '       ^---!';
      const p = Pending.from(source);
      expectObservable(p).toBe('----#', undefined, new Error('source failed'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should unsubscribe the source when cancelled at a frame, and error with PendingCancelled', () => {
    let p!: Pending<string>;
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--b--|');
      const subs = '       ^---!';
      const expected = '   ----#';
      p = Pending.from(source);
      testScheduler.schedule(() => p.cancel('stop'), 4);
      expectObservable(p).toBe(expected, undefined, new PendingCancelled(['stop']));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
    expect(p.state).toBe('cancelled');
  });

  it('should cancel and unsubscribe the source when its last subscriber unsubscribes', () => {
    let p!: Pending<string>;
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--b--|');
      const subs = '       ^--!';
      const unsub = '      ---!';
      p = Pending.from(source);
      expectObservable(p, unsub).toBe('---');
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
    expect(p.state).toBe('cancelled');
  });

  it('should replay the outcome to a late subscriber in the frame it subscribes', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a|');
      const subs = '       ^--!';
      const p = Pending.from(source);
      expectObservable(p, '---^').toBe('---(a|)');
      expectObservable(p, '------^').toBe('------(a|)');
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should replay an error to a late subscriber in the frame it subscribes', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const p = Pending.from(cold('-#', undefined, new Error('failed')));
      expectObservable(p, '---^').toBe('---#', undefined, new Error('failed'));
    });
    // Nobody observed the failure in its own frame, so it was also reported then (virtual end of tick).
    expect(takeReportsNow().map((r) => [r.kind, (r.error as Error).message])).toEqual([['unobserved', 'failed']]);
  });

  it('should not report a failure observed in its own frame', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const p = Pending.from(cold('-#', undefined, new Error('failed')));
      expectObservable(p, '-^').toBe('-#', undefined, new Error('failed'));
    });
    expect(takeReportsNow()).toEqual([]);
  });

  it('should cancel the previous pending when switchMap switches to a new one', () => {
    const made: Pending<string>[] = [];
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const inner = { a: cold('----x|'), b: cold('--y|') };
      const source = hot('-a--b------|');
      const aSubs = '     -^--!';
      const bSubs = '     ----^--!';
      const expected = '  -------y---|';
      const result = source.pipe(
        switchMap((key) => {
          const p = Pending.from(inner[key as 'a' | 'b']);
          made.push(p);
          return p;
        }),
      );
      expectObservable(result).toBe(expected);
      expectSubscriptions(inner.a.subscriptions).toBe(aSubs);
      expectSubscriptions(inner.b.subscriptions).toBe(bSubs);
    });
    expect(made.map((p) => p.state)).toEqual(['cancelled', 'fulfilled']);
  });

  it('should not cancel when one of two subscribers leaves', () => {
    let p!: Pending<string>;
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('----a|');
      const subs = '       ^----!';
      p = Pending.from(source);
      expectObservable(p, '--!').toBe('--');
      expectObservable(p).toBe('-----(a|)');
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
    expect(p.state).toBe('fulfilled');
  });

  it('should keep a protected pending running when its last subscriber leaves', () => {
    let p!: Pending<string>;
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('----a|');
      const subs = '       ^----!';
      p = Pending.from(source, { protect: true });
      expectObservable(p, '--!').toBe('--');
      expectObservable(p, '-------^').toBe('-------(a|)');
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
    expect(p.state).toBe('fulfilled');
  });

  it('should be taken by mergeMap as an Observable: a settled pending gives its value in the same frame', () => {
    const p = new Pending<string>();
    p.setResult('v');
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a-b-|');
      const subs = '      ^----!';
      const expected = '  -v-v-|';
      expectObservable(source.pipe(mergeMap(() => p))).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should be taken by mergeMap as an Observable: a pending from a cold source keeps its frames', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const inner = cold('--x|');
      const source = hot(' -a---b|');
      const innerSubs = ['-^--!', '-----^--!'];
      const expected = '   ----x---(x|)';
      expectObservable(source.pipe(mergeMap(() => Pending.from(inner)))).toBe(expected);
      expectSubscriptions(inner.subscriptions).toBe(innerSubs);
    });
  });
});

import {
  EMPTY,
  TimeoutError,
  asapScheduler,
  asyncScheduler,
  auditTime,
  bufferTime,
  debounceTime,
  delay,
  interval,
  mergeMap,
  observeOn,
  sampleTime,
  subscribeOn,
  take,
  throttleTime,
  timeout,
  timer,
  type Observable,
  type SchedulerLike,
  Subscription,
} from 'rxjs';
import type { RunHelpers, TestScheduler } from 'rxjs/testing';
import { Caller, type Backend } from '../../schedulers/Caller.js';
import { installAnimationFrameHost } from '../../spec/helpers/animationFrameHost.js';
import { stopAllCallers } from '../../spec/helpers/callers.js';
import { takeReportsNow } from '../../spec/helpers/reports.js';
import { createTestScheduler } from '../../spec/helpers/testScheduler.js';

/**
 * A caller is an RxJS SchedulerLike: these are the portable scenarios of RxJS's own AsapScheduler,
 * QueueScheduler, observeOn and subscribeOn specs, run in virtual time against every backend, and a
 * differential check that time-based operators give the same marbles on a caller as on asyncScheduler.
 */
interface BackendCase {
  label: string;
  /** undefined: the default backend. */
  backend: Backend | undefined;
  /**
   * Frames between a zero-delay request made while the virtual clock runs and its run. 0 for every
   * backend but 'animationFrame': `animate()` runs the frame's animation callbacks before any other work
   * of that frame, so a request made during frame f waits for frame f + 1 (a request made before the
   * clock starts runs at frame 0), exactly as with animationFrameScheduler itself.
   */
  lag: number;
}

const BACKENDS: BackendCase[] = [
  { label: "'asap' (the default)", backend: undefined, lag: 0 },
  { label: "'async'", backend: 'async', lag: 0 },
  { label: 'a custom SchedulerLike (asyncScheduler given as an object)', backend: asyncScheduler, lag: 0 },
  { label: 'a custom SchedulerLike (asapScheduler given as an object)', backend: asapScheduler, lag: 0 },
  { label: "'animationFrame' (virtualised by run() and animate())", backend: 'animationFrame', lag: 1 },
];

/** One animation frame per virtual frame, long enough for every scenario below. */
const ANIMATION_FRAMES = 'x'.repeat(200);

let testScheduler: TestScheduler;

beforeEach(() => {
  testScheduler = createTestScheduler();
});

afterEach(stopAllCallers);

// The 'animationFrame' cases make their callers before entering run(): as in a browser, where the host
// has requestAnimationFrame (run() virtualises the frames themselves).
let uninstallAnimationFrameHost: () => void;
beforeAll(() => (uninstallAnimationFrameHost = installAnimationFrameHost()));
afterAll(() => uninstallAnimationFrameHost());

/** `testScheduler.run()`, with animation frames when the backend needs them. */
function runOn(backendCase: BackendCase, callback: (helpers: RunHelpers) => void): void {
  testScheduler.run((helpers) => {
    if (backendCase.backend === 'animationFrame') helpers.animate(ANIMATION_FRAMES);
    callback(helpers);
  });
}

describe.each(BACKENDS)('Caller as a SchedulerLike, backend $label', (backendCase) => {
  const { backend, lag } = backendCase;
  const make = (name?: string) => new Caller({ name, backend });
  const now = () => testScheduler.now();

  it('should return the very action that is `this` inside work, for zero and positive delays', () => {
    const caller = make();
    const seen: unknown[] = [];
    let zero: Subscription | undefined;
    let later: Subscription | undefined;
    runOn(backendCase, () => {
      zero = caller.schedule(function () {
        seen.push(this);
      });
      later = caller.schedule(function () {
        seen.push(this);
      }, 10);
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(zero);
    expect(seen[1]).toBe(later);
  });

  it('should run zero-delay work later in the same frame, never synchronously', () => {
    const caller = make();
    const log: string[] = [];
    runOn(backendCase, () => {
      caller.schedule(() => log.push(`work@${now()}`));
      log.push('after schedule()');
    });
    expect(log).toEqual(['after schedule()', 'work@0']);
  });

  it('should run delayed work after its delay, in delay order', () => {
    const caller = make();
    const frames: number[] = [];
    runOn(backendCase, () => {
      caller.schedule(() => frames.push(now()), 30);
      caller.schedule(() => frames.push(now()), 10);
      caller.schedule(() => frames.push(now()), 20);
    });
    expect(frames).toEqual([10, 20, 30]);
  });

  it('should read now() from the backend, which run() virtualises', () => {
    const caller = make();
    const pairs: [number, number][] = [];
    runOn(backendCase, () => {
      pairs.push([caller.now(), now()]);
      caller.schedule(() => pairs.push([caller.now(), now()]), 7);
      caller.schedule(() => pairs.push([caller.now(), now()]), 25);
    });
    expect(pairs).toEqual([
      [0, 0],
      [7, 7],
      [25, 25],
    ]);
  });

  it('should re-run the same work, as the same action, with this.schedule(state, delay)', () => {
    const caller = make();
    const runs: [number, number][] = [];
    const actions: unknown[] = [];
    let action: Subscription | undefined;
    runOn(backendCase, () => {
      action = caller.schedule(
        function (n = 0) {
          runs.push([n, now()]);
          actions.push(this);
          if (n < 3) this.schedule(n + 1, 10);
        },
        10,
        0,
      );
    });
    expect(runs).toEqual([
      [0, 10],
      [1, 20],
      [2, 30],
      [3, 40],
    ]);
    expect(actions.every((a) => a === action)).toBe(true);
  });

  it('should queue a zero-delay this.schedule() behind work already queued (one FIFO queue)', () => {
    const caller = make();
    const log: string[] = [];
    runOn(backendCase, () => {
      caller.schedule(
        function (n = 0) {
          log.push(`a${n}@${now()}`);
          if (n < 2) this.schedule(n + 1);
        },
        0,
        0,
      );
      caller.schedule(() => log.push(`b@${now()}`));
    });
    // Work rescheduled from inside a drain runs in the same batch, except on animation frames, where it
    // runs in the next frame (an animation loop runs once a frame), as with animationFrameScheduler.
    expect(log).toEqual(['a0@0', 'b@0', `a1@${lag}`, `a2@${2 * lag}`]);
  });

  it('should move work between the queue and a timer when it is rescheduled with another delay', () => {
    const caller = make();
    const runs: [number, number][] = [];
    const next: Record<number, number> = { 0: 10, 1: 0, 2: 5 };
    runOn(backendCase, () => {
      caller.schedule(
        function (n = 0) {
          runs.push([n, now()]);
          if (n in next) this.schedule(n + 1, next[n]);
        },
        0,
        0,
      );
    });
    // The zero-delay request is made at frame 10, inside a timer: the only place 'animationFrame' lags.
    expect(runs).toEqual([
      [0, 0],
      [1, 10],
      [2, 10 + lag],
      [3, 15 + lag],
    ]);
  });

  it('should not run work unsubscribed before it ran, and unsubscribe should be idempotent', () => {
    const caller = make();
    const log: string[] = [];
    runOn(backendCase, () => {
      const zero = caller.schedule(() => log.push('zero'));
      const delayed = caller.schedule(() => log.push('delayed'), 10);
      zero.unsubscribe();
      delayed.unsubscribe();
      expect(() => {
        zero.unsubscribe();
        delayed.unsubscribe();
      }).not.toThrow();
      expect(zero.closed).toBe(true);
      expect(delayed.closed).toBe(true);
      caller.schedule(() => log.push('kept'), 20);
    });
    expect(log).toEqual(['kept']);
  });

  it('should cancel a re-run when the work unsubscribes its own action after rescheduling', () => {
    const caller = make();
    const frames: number[] = [];
    runOn(backendCase, () => {
      caller.schedule(function () {
        frames.push(now());
        this.schedule(undefined, 10);
        this.unsubscribe();
      }, 5);
    });
    expect(frames).toEqual([5]);
  });

  it('should run the rest of the queue when an earlier action is unsubscribed, and let work cancel a later one', () => {
    const caller = make();
    const log: string[] = [];
    runOn(backendCase, () => {
      const cancelled = caller.schedule(() => log.push('cancelled'));
      const first = caller.schedule(() => {
        log.push('first');
        second.unsubscribe();
      });
      const second = caller.schedule(() => log.push('second'));
      caller.schedule(() => log.push('third'));
      cancelled.unsubscribe();
      // Like RxJS's own actions, a scheduled action is open until it has run or been unsubscribed.
      expect(first.closed).toBe(false);
      expect(cancelled.closed).toBe(true);
    });
    expect(log).toEqual(['first', 'third']);
  });

  it('should treat a negative delay as 0', () => {
    const caller = make();
    const runs: [string, number][] = [];
    runOn(backendCase, () => {
      caller.schedule(() => runs.push(['before the clock', now()]), -10);
      caller.schedule(
        function (n = 0) {
          runs.push([`timer ${n}`, now()]);
          if (n === 0) this.schedule(1, -Infinity);
        },
        5,
        0,
      );
    });
    expect(runs).toEqual([
      ['before the clock', 0],
      ['timer 0', 5],
      ['timer 1', 5 + lag],
    ]);
  });

  it('should never run work whose delay is NaN or Infinity, and let run() end', () => {
    const caller = make();
    const log: string[] = [];
    let nan: Subscription | undefined;
    runOn(backendCase, () => {
      nan = caller.schedule(() => log.push('NaN'), NaN);
      caller.schedule(() => log.push('Infinity'), Infinity);
      caller.schedule(
        function (n = 0) {
          log.push(`r${n}`);
          if (n === 0) this.schedule(1, Infinity);
        },
        5,
        0,
      );
      caller.schedule(
        function (n = 0) {
          log.push(`s${n}`);
          if (n === 0) this.schedule(1, NaN);
        },
        6,
        0,
      );
      caller.schedule(() => log.push('last'), 50);
    });
    expect(log).toEqual(['r0', 's0', 'last']);
    expect(() => nan!.unsubscribe()).not.toThrow();
  });

  it('should run work with Caller.current() === the caller and no current pending, whatever its delay', () => {
    const caller = make('worker');
    const seen: [string, Caller, unknown][] = [];
    const record = (what: string) => seen.push([what, Caller.current(), Caller.currentPending()]);
    runOn(backendCase, () => {
      caller.schedule(() => record('zero'));
      caller.schedule(() => record('delayed'), 10);
      caller.schedule(
        function (n = 0) {
          record(`recursive ${n}`);
          if (n < 2) this.schedule(n + 1, n === 0 ? 0 : 3);
        },
        0,
        0,
      );
      timer(5, caller).subscribe(() => record('timer(5, caller)'));
    });
    expect(seen.map(([what]) => what).sort()).toEqual(['delayed', 'recursive 0', 'recursive 1', 'recursive 2', 'timer(5, caller)', 'zero']);
    for (const [what, current, pending] of seen) {
      expect([what, current]).toEqual([what, caller]);
      expect(pending).toBeUndefined();
    }
  });

  it("should keep other callers' work running in the same flush when one work throws, and report the error", () => {
    const failing = make('failing');
    const other = make('other');
    const log: string[] = [];
    runOn(backendCase, () => {
      failing.schedule(() => {
        throw new Error('zero-delay work failed');
      });
      other.schedule(() => log.push(`other@${now()}`));
      failing.schedule(() => log.push(`failing goes on@${now()}`));
      failing.schedule(() => {
        throw new Error('delayed work failed');
      }, 10);
      other.schedule(() => log.push(`other later@${now()}`), 10);
    });
    expect(log).toEqual(['failing goes on@0', 'other@0', 'other later@10']);
    const reports = takeReportsNow();
    expect(reports.map((r) => [r.kind, (r.error as Error).message])).toEqual([
      ['unhandled', 'zero-delay work failed'],
      ['unhandled', 'delayed work failed'],
    ]);
  });

  it('should close the action of work that threw', () => {
    const caller = make();
    let action: Subscription | undefined;
    runOn(backendCase, () => {
      action = caller.schedule(function () {
        this.schedule(undefined, 10); // cancelled by the throw below
        throw new Error('boom');
      }, 5);
    });
    expect(action!.closed).toBe(true);
    expect(takeReportsNow()).toHaveLength(1);
  });

  it("should emit callSoon's pending in the frame of the call and callLater(30)'s at frame 30", () => {
    const caller = make();
    runOn(backendCase, ({ hot, expectObservable }) => {
      expectObservable(caller.callSoon(() => 'a')).toBe('(a|)');
      expectObservable(caller.callLater(30, () => 'b')).toBe('30ms (b|)');
      const trigger = hot('--x--y');
      expectObservable(trigger.pipe(mergeMap((v) => caller.callSoon(() => v.toUpperCase())))).toBe(`${2 + lag}ms X--Y`);
      expectObservable(trigger.pipe(mergeMap((v) => caller.callLater(30, () => v)))).toBe('32ms x--y');
    });
  });

  it('should error a call pending in the frame its function throws', () => {
    const caller = make();
    runOn(backendCase, ({ expectObservable }) => {
      expectObservable(
        caller.callLater(4, () => {
          throw new Error('call failed');
        }),
      ).toBe('4ms #', undefined, new Error('call failed'));
    });
  });
});

/** One operator scenario of the differential check; `make` builds it on the scheduler it is given. */
interface DiffCase {
  name: string;
  /** Whether the scenario makes zero-delay requests while the clock runs ('animationFrame' lags there). */
  zeroDelay: boolean;
  source?: string;
  subs?: string | string[];
  unsub?: string;
  expected: string;
  values?: Record<string, unknown>;
  error?: unknown;
  make: (source: Observable<string>, scheduler: SchedulerLike) => Observable<unknown>;
}

const DIFF_CASES: DiffCase[] = [
  { name: 'observeOn', zeroDelay: true, source: '-a-b-c|', subs: '^-----!', expected: '-a-b-c|', make: (s, sch) => s.pipe(observeOn(sch)) },
  { name: 'observeOn (source error)', zeroDelay: true, source: '-a-#', subs: '^--!', expected: '-a-#', error: new Error('source failed'), make: (s, sch) => s.pipe(observeOn(sch)) },
  { name: 'observeOn (early unsubscribe)', zeroDelay: true, source: '-a-b-c-d|', unsub: '^----!', subs: '^----!', expected: '-a-b-', make: (s, sch) => s.pipe(observeOn(sch)) },
  { name: 'observeOn with a delay', zeroDelay: false, source: '-a-b-c|', subs: '^-----!', expected: '---a-b-c|', make: (s, sch) => s.pipe(observeOn(sch, 2)) },
  { name: 'subscribeOn', zeroDelay: true, source: '-a-b|', subs: '^---!', expected: '-a-b|', make: (s, sch) => s.pipe(subscribeOn(sch)) },
  { name: 'subscribeOn with a delay', zeroDelay: false, source: '-a-b|', subs: '---^---!', expected: '----a-b|', make: (s, sch) => s.pipe(subscribeOn(sch, 3)) },
  { name: 'subscribeOn with a delay (unsubscribed before it)', zeroDelay: false, source: '-a-b|', unsub: '^-!', subs: [], expected: '', make: (s, sch) => s.pipe(subscribeOn(sch, 3)) },
  { name: 'subscribeOn with an Infinity delay (never subscribes)', zeroDelay: false, source: '-a-b|', subs: [], expected: '', make: (s, sch) => s.pipe(subscribeOn(sch, Infinity)) },
  { name: 'delay', zeroDelay: false, source: '-a-b-c|', subs: '^-----!', expected: '----a-b-(c|)', make: (s, sch) => s.pipe(delay(3, sch)) },
  { name: 'delay (source error)', zeroDelay: false, source: '-a-#', subs: '^--!', expected: '---#', error: new Error('source failed'), make: (s, sch) => s.pipe(delay(3, sch)) },
  { name: 'debounceTime', zeroDelay: false, source: '-a--bc----d-|', subs: '^-----------!', expected: '---a---c----(d|)', make: (s, sch) => s.pipe(debounceTime(2, sch)) },
  { name: 'debounceTime (early unsubscribe)', zeroDelay: false, source: '-a--bc----d-|', unsub: '^-----!', subs: '^-----!', expected: '---a--', make: (s, sch) => s.pipe(debounceTime(2, sch)) },
  { name: 'throttleTime', zeroDelay: false, source: '-a-b-c-d|', subs: '^-------!', expected: '-a---c--|', make: (s, sch) => s.pipe(throttleTime(3, sch)) },
  {
    name: 'throttleTime (leading and trailing)',
    zeroDelay: false,
    source: '-a-b-c-----|',
    subs: '^----------!',
    expected: '-a--b--c---|',
    make: (s, sch) => s.pipe(throttleTime(3, sch, { leading: true, trailing: true })),
  },
  { name: 'auditTime', zeroDelay: false, source: '-a-b----c|', subs: '^--------!', expected: '----b------(c|)', make: (s, sch) => s.pipe(auditTime(3, sch)) },
  {
    name: 'bufferTime',
    zeroDelay: false,
    source: '-a-b-c-d|',
    subs: '^-------!',
    expected: '----x---(y|)',
    values: { x: ['a', 'b'], y: ['c', 'd'] },
    make: (s, sch) => s.pipe(bufferTime(4, sch)),
  },
  { name: 'timeout', zeroDelay: false, source: '-a--b------c|', subs: '^-------!', expected: '-a--b---#', error: new TimeoutError(), make: (s, sch) => s.pipe(timeout(4, sch)) },
  { name: 'interval', zeroDelay: false, expected: '---a--b--c--(d|)', values: { a: 0, b: 1, c: 2, d: 3 }, make: (_, sch) => interval(3, sch).pipe(take(4)) },
  { name: 'timer', zeroDelay: false, expected: '-----(a|)', values: { a: 0 }, make: (_, sch) => timer(5, sch) },
  { name: 'timer with a period', zeroDelay: false, expected: '--a--b--(c|)', values: { a: 0, b: 1, c: 2 }, make: (_, sch) => timer(2, 3, sch).pipe(take(3)) },
  { name: 'timer(0) with a period', zeroDelay: true, expected: 'a--b--(c|)', values: { a: 0, b: 1, c: 2 }, make: (_, sch) => timer(0, 3, sch).pipe(take(3)) },
  { name: 'sampleTime', zeroDelay: false, source: '-a-b---c----|', subs: '^-----------!', expected: '-----b----c-|', make: (s, sch) => s.pipe(sampleTime(5, sch)) },
];

describe.each(BACKENDS)('Caller vs asyncScheduler (differential), backend $label', (backendCase) => {
  // 'animationFrame' runs zero-delay requests made while the clock runs one animation frame later (see
  // BackendCase.lag), so only the scenarios without such requests are compared for it.
  const cases = DIFF_CASES.filter((c) => backendCase.lag === 0 || !c.zeroDelay);

  it.each(cases)('should give the same marbles as asyncScheduler: $name', (c) => {
    const caller = new Caller({ backend: backendCase.backend });
    runOn(backendCase, ({ cold, expectObservable, expectSubscriptions }) => {
      // Each pipeline gets its own cold source, so each source's subscriptions can be checked.
      const sources: ReturnType<typeof cold<string>>[] = [];
      const build = (scheduler: SchedulerLike) => {
        if (c.source === undefined) return c.make(EMPTY, scheduler);
        const source = cold(c.source, undefined, c.error);
        sources.push(source);
        return c.make(source, scheduler);
      };
      const onCaller = build(caller);
      // toEqual() never unsubscribes the other side: early-unsubscribe cases compare both to the marble.
      if (c.unsub === undefined) expectObservable(onCaller).toEqual(build(asyncScheduler));
      else expectObservable(onCaller, c.unsub).toBe(c.expected, c.values, c.error);
      expectObservable(build(asyncScheduler), c.unsub).toBe(c.expected, c.values, c.error);
      for (const source of sources) expectSubscriptions(source.subscriptions).toBe(c.subs!);
    });
  });
});

describe('Caller zero-delay actions and their subscriber', () => {
  afterEach(stopAllCallers);

  it('should not subscribe the source when unsubscribed before subscribeOn(caller) fires', () => {
    const caller = new Caller();
    createTestScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a|');
      expectObservable(source.pipe(subscribeOn(caller)), '(^!)').toBe('');
      expectSubscriptions(source.subscriptions).toBe([]);
    });
  });

  it('should cancel a zero-delay action that rescheduled itself with a delay when its subscriber unsubscribes', () => {
    const caller = new Caller();
    const runs: number[] = [];
    createTestScheduler().run(() => {
      const parent = new Subscription();
      parent.add(
        caller.schedule(function () {
          runs.push(caller.now());
          this.schedule(undefined, 60_000);
        }),
      );
      asyncScheduler.schedule(() => parent.unsubscribe(), 1);
    });
    expect(runs).toEqual([0]);
  });

  it('should chain only the first actions of a burst, then keep the subscriber untouched', () => {
    const caller = new Caller();
    const parent = new Subscription();
    const actions = Array.from({ length: 200 }, () => caller.schedule(() => undefined));
    for (const action of actions) parent.add(action);
    const chained = actions.filter((a) => !a.closed).length;
    expect(chained).toBeGreaterThan(0);
    expect(chained).toBeLessThan(200);
    parent.unsubscribe();
    // Unchained actions are still cancelled by their own unsubscribe().
    for (const action of actions) action.unsubscribe();
  });
});

describe('Caller delays beyond what host timers honour', () => {
  afterEach(stopAllCallers);

  it('should run work scheduled more than 2^31 - 1 ms ahead at that time, not at once', () => {
    const caller = new Caller();
    const runs: number[] = [];
    createTestScheduler().run(() => {
      caller.schedule(() => runs.push(caller.now()), 2 ** 31 + 5);
    });
    expect(runs).toEqual([2 ** 31 + 5]);
  });
});

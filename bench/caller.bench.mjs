// Callers as RxJS schedulers and as call queues, against RxJS's own schedulers and native promises.
import { execFileSync } from 'node:child_process';
import { asapScheduler, asyncScheduler, observeOn, queueScheduler, range } from 'rxjs';
import { Caller } from 'rxjs-caller';
import { compare, fmt, fmtNs, medianOf, note, target } from './harness.mjs';

/**
 * ns per `await new Promise(r => queueMicrotask(() => r(f())))` in a fresh Node process that never
 * enabled AsyncLocalStorage (median of 7 runs of 100 000). Once a caller has run a call, Node 20's
 * AsyncLocalStorage promise hooks slow every promise of the process, the baseline above included.
 */
function nativeFloorWithoutAsyncLocalStorage() {
  const script = `
    const f = () => 1, n = 100000, runs = [];
    for (let k = 0; k < 9; k++) {
      const t = performance.now();
      for (let i = 0; i < n; i++) await new Promise((r) => queueMicrotask(() => r(f())));
      if (k >= 2) runs.push(((performance.now() - t) * 1e6) / n);
    }
    console.log(JSON.stringify(runs));`;
  return medianOf(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })));
}

/** One burst: `range(0, n)` re-emitted on `scheduler`; checks every value arrived. */
const burst = (scheduler, n) => () =>
  new Promise((resolve, reject) => {
    let seen = 0;
    range(0, n)
      .pipe(observeOn(scheduler))
      .subscribe({ next: () => seen++, error: reject, complete: () => (seen === n ? resolve() : reject(new Error(`${seen} of ${n} values`))) });
  });

/** One work rescheduling itself `n` times with `this.schedule(state)`. */
const recursive = (scheduler, n) => () =>
  new Promise((resolve) => {
    scheduler.schedule(function (i) {
      if (i < n) this.schedule(i + 1);
      else resolve();
    }, 0, 0);
  });

export async function run() {
  const caller = new Caller({ name: 'bench' });

  // asapScheduler and asyncScheduler are quadratic in one burst (every action is added to, then spliced
  // out of, the subscriber's finalizer array): asyncScheduler is left out above 1 000 values, asapScheduler
  // above 32 000 (measured here: 0.3 s for 32 000, 2.6 s for 100 000, 38 s for 200 000). queueScheduler runs
  // synchronously (no yield to the event loop at all): it is the floor of observeOn's own cost.
  for (const n of [1_000, 32_000, 1_000_000]) {
    const contenders = { 'observeOn(caller)': burst(caller, n) };
    if (n <= 32_000) contenders['observeOn(asapScheduler)'] = burst(asapScheduler, n);
    if (n <= 1_000) contenders['observeOn(asyncScheduler)'] = burst(asyncScheduler, n);
    contenders['observeOn(queueScheduler) (synchronous)'] = burst(queueScheduler, n);
    const rows = await compare(`range(0, ${fmt(n)}).pipe(observeOn(s))`, { units: n, unit: 'value', time: n >= 1e6 ? 0 : 150 }, contenders);
    const mine = rows.get('observeOn(caller)').perSecond;
    const asap = rows.get('observeOn(asapScheduler)')?.perSecond;
    target({
      what: `observeOn(caller), burst of ${fmt(n)} values`,
      measured: `${fmt(mine)} values/s` + (asap ? ` (x${(mine / asap).toFixed(1)} asapScheduler)` : ' (asapScheduler: left out, quadratic)'),
      target: '>= 2 M values/s',
      met: mine >= 2e6,
    });
  }

  const rec = await compare('recursive this.schedule(i + 1), 100 000 runs', { units: 100_000, unit: 'run', baseline: 'asapScheduler' }, {
    asapScheduler: recursive(asapScheduler, 100_000),
    caller: recursive(caller, 100_000),
  });
  const recRatio = rec.get('caller').perSecond / rec.get('asapScheduler').perSecond;
  target({ what: 'recursive schedule: caller vs asapScheduler', measured: `x${recRatio.toFixed(1)} the runs/s`, target: '>= x2', met: recRatio >= 2 });

  const f = () => 1;
  const calls = 10_000;
  const native = 'await new Promise(r => queueMicrotask(() => r(f())))';
  const seq = await compare(`${fmt(calls)} awaited calls in sequence`, { units: calls, unit: 'call', baseline: native, rounds: 5, time: 100 }, {
    [native]: async () => {
      for (let i = 0; i < calls; i++) await new Promise((r) => queueMicrotask(() => r(f())));
    },
    'await caller.callSoon(f)': async () => {
      for (let i = 0; i < calls; i++) await caller.callSoon(f);
    },
  });
  const cost = seq.get(native).perSecond / seq.get('await caller.callSoon(f)').perSecond;
  target({ what: 'await caller.callSoon(f) vs queueMicrotask promise', measured: `x${cost.toFixed(2)} the time per call`, target: '<= x2', met: cost <= 2 });
  const floor = nativeFloorWithoutAsyncLocalStorage();
  const mineNs = (seq.get('await caller.callSoon(f)').median * 1e6) / calls;
  const nativeNs = (seq.get(native).median * 1e6) / calls;
  note('the same native await, in a fresh process without AsyncLocalStorage (context only; not a contender above)', [
    `${fmtNs(floor)}/call there vs ${fmtNs(nativeNs)}/call in this process: AsyncLocalStorage's promise hooks (Node 20) cost x${(nativeNs / floor).toFixed(2)} on every promise once enabled.`,
    `await caller.callSoon(f) against that floor: x${(mineNs / floor).toFixed(2)}.`,
  ]);

  await compare(`${fmt(calls)} calls in flight, then awaited together`, { units: calls, unit: 'call' }, {
    'Promise.all(queueMicrotask promises)': () => Promise.all(Array.from({ length: calls }, () => new Promise((r) => queueMicrotask(() => r(f()))))),
    'Promise.all(caller.callSoon(f))': () => Promise.all(Array.from({ length: calls }, () => caller.callSoon(f))),
  });
  caller.stop();
  await caller.stopped;
}

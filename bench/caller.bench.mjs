// Callers as RxJS schedulers and as call queues, against RxJS's own schedulers and native promises.
import { asapScheduler, asyncScheduler, observeOn, queueScheduler, range } from 'rxjs';
import { Caller } from 'rxjs-caller';
import { compare } from './harness.mjs';

const burst = (scheduler, n) => () =>
  new Promise((resolve) => range(0, n).pipe(observeOn(scheduler)).subscribe({ complete: resolve }));

const recursive = (scheduler, n) => () =>
  new Promise((resolve) => {
    scheduler.schedule(function (i) {
      if (i < n) this.schedule(i + 1);
      else resolve();
    }, 0, 0);
  });

export async function run() {
  const caller = new Caller({ name: 'bench' });
  for (const n of [1_000, 32_000, 1_000_000]) {
    const contenders = { 'observeOn(caller)': burst(caller, n), 'observeOn(queueScheduler)': burst(queueScheduler, n) };
    // asapScheduler and asyncScheduler are quadratic in one burst (FIELD-NOTES): at 1 M they do not finish.
    if (n <= 32_000) Object.assign(contenders, { 'observeOn(asapScheduler)': burst(asapScheduler, n), 'observeOn(asyncScheduler)': burst(asyncScheduler, n) });
    await compare(`range(0, ${n}).pipe(observeOn(s))`, { units: n, unit: 'value', iterations: n >= 1e6 ? 5 : 10 }, contenders);
  }
  await compare('recursive this.schedule() x 100 000', { units: 100_000, unit: 'run' }, {
    'caller': recursive(caller, 100_000),
    'asapScheduler': recursive(asapScheduler, 100_000),
  });

  const f = () => 1;
  const calls = 10_000;
  await compare(`await x ${calls} in sequence`, { units: calls, unit: 'call', baseline: 'await new Promise(r => queueMicrotask(() => r(f())))' }, {
    'await new Promise(r => queueMicrotask(() => r(f())))': async () => {
      for (let i = 0; i < calls; i++) await new Promise((r) => queueMicrotask(() => r(f())));
    },
    'await caller.callSoon(f)': async () => {
      for (let i = 0; i < calls; i++) await caller.callSoon(f);
    },
  });
  await compare(`${calls} calls in flight, then awaited`, { units: calls, unit: 'call', baseline: 'Promise.all(queueMicrotask promises)' }, {
    'Promise.all(queueMicrotask promises)': () => Promise.all(Array.from({ length: calls }, () => new Promise((r) => queueMicrotask(() => r(f()))))),
    'Promise.all(caller.callSoon(f))': () => Promise.all(Array.from({ length: calls }, () => caller.callSoon(f))),
  });
  caller.stop();
}

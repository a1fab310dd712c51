// Callers as RxJS schedulers and as call queues, against RxJS's own schedulers, an ideal minimal scheduler
// and native promises; cancellation at scale against native rejection.
import { asapScheduler, observeOn, queueScheduler, range, Subscription } from 'rxjs';
import { Caller, Pending } from 'rxjs-caller';
import { compare, cpuNow, fmt, onCpu, quick, row } from './harness.mjs';

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

/**
 * What `observeOn` itself costs per value: an array queue, one microtask per batch, `Subscription.EMPTY`
 * returned (nothing registers with the subscriber), no cancellation, no context. No real scheduler can
 * be cheaper; a ratio near 1 means a caller adds little to RxJS's own per-value cost.
 */
function idealMinimalScheduler() {
  let queue = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    for (let i = 0; i < batch.length; i += 2) batch[i].call(Subscription.EMPTY, batch[i + 1]);
  };
  return {
    now: () => Date.now(),
    schedule(work, _delay, state) {
      if (queue.length === 0) queueMicrotask(flush);
      queue.push(work, state);
      return Subscription.EMPTY;
    },
  };
}

/** Resolves once `n` handlers have run: the end of a timed cancellation. */
function countdown(n) {
  let left = n;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  return { handler: () => --left === 0 && done(), finished };
}

/** Times `act()` until `finished`; everything `prepare()` does is untimed. */
const timedUntil = (prepare) => async () => {
  const { act, finished } = prepare();
  const start = cpuNow();
  act();
  await finished;
  return { overriddenDuration: cpuNow() - start };
};

export async function run() {
  const caller = new Caller({ name: 'bench' });
  const rounds = quick ? 2 : 3;

  // asapScheduler is quadratic in one burst (every action is added to, then spliced out of, the
  // subscriber's finalizer array): it is left out above 32 000 values (2.6 s for 100 000 here).
  for (const n of quick ? [32_000] : [1_000, 32_000]) {
    const rows = await compare(`range(0, ${fmt(n)}).pipe(observeOn(s))`, { units: n, unit: 'value', baseline: 'observeOn(asapScheduler)', rounds }, {
      'observeOn(asapScheduler)': onCpu(burst(asapScheduler, n)),
      'observeOn(caller)': onCpu(burst(caller, n)),
      'observeOn(queueScheduler) (synchronous)': onCpu(burst(queueScheduler, n)),
    });
    row({ name: `observeOn burst ${fmt(n)} vs asapScheduler`, ours: rows.get('observeOn(caller)').perSecond, peer: rows.get('observeOn(asapScheduler)').perSecond, unit: 'values/s', goal: n >= 32_000 ? 10 : 1 });
  }

  const million = 1_000_000;
  const ideal = idealMinimalScheduler();
  const big = await compare(`range(0, ${fmt(million)}).pipe(observeOn(s))`, { units: million, unit: 'value', baseline: 'ideal minimal scheduler', rounds: quick ? 3 : 5, time: 0, iterations: quick ? 2 : 3, warmupIterations: 1 }, {
    'ideal minimal scheduler': onCpu(burst(ideal, million)),
    'observeOn(caller)': onCpu(burst(caller, million)),
  });
  row({ name: 'observeOn 1 M vs ideal minimal scheduler', ours: big.get('observeOn(caller)').perSecond, peer: big.get('ideal minimal scheduler').perSecond, unit: 'values/s', goal: 0.7 });

  const runs = 300_000;
  const rec = await compare(`recursive this.schedule(i + 1), ${fmt(runs)} runs`, { units: runs, unit: 'run', baseline: 'asapScheduler', rounds, time: 0, iterations: 2, warmupIterations: 1 }, {
    asapScheduler: onCpu(recursive(asapScheduler, runs)),
    caller: onCpu(recursive(caller, runs)),
  });
  row({ name: `recursive schedule ${fmt(runs)} vs asapScheduler`, ours: rec.get('caller').perSecond, peer: rec.get('asapScheduler').perSecond, unit: 'runs/s', goal: 2 });

  const f = () => 1;
  const calls = 10_000;
  const native = 'await new Promise(r => queueMicrotask(() => r(f())))';
  const seq = await compare(`${fmt(calls)} awaited calls in sequence`, { units: calls, unit: 'call', baseline: native, rounds: quick ? 3 : 5, time: 100 }, {
    [native]: onCpu(async () => {
      for (let i = 0; i < calls; i++) await new Promise((r) => queueMicrotask(() => r(f())));
    }),
    'await caller.callSoon(f)': onCpu(async () => {
      for (let i = 0; i < calls; i++) await caller.callSoon(f);
    }),
  });
  row({ name: 'await caller.callSoon(f) vs queueMicrotask promise', ours: seq.get('await caller.callSoon(f)').perSecond, peer: seq.get(native).perSecond, unit: 'calls/s', goal: { 20: 0.5, 24: 0.33 } });

  // Cancellation at scale: every promise or pending has its rejection handler before the clock starts;
  // the time runs from the first rejection (or cancel, or stop) until the last handler has run.
  const n = 100_000;
  const shared = new Error('one shared reason');
  const nativeRejection = timedUntil(() => {
    const { handler, finished } = countdown(n);
    const rejects = new Array(n);
    for (let i = 0; i < n; i++) new Promise((_, reject) => (rejects[i] = reject)).then(undefined, handler);
    return { act: () => rejects.forEach((reject) => reject(shared)), finished };
  });
  const cancels = await compare(`cancelling ${fmt(n)} with a rejection handler each`, { units: n, unit: 'cancel', baseline: 'native rejection, one shared reason', rounds, time: 0, iterations: quick ? 3 : 5, warmupIterations: 1 }, {
    'native rejection, one shared reason': nativeRejection,
    'pending.cancel() of bare Pendings': timedUntil(() => {
      const { handler, finished } = countdown(n);
      const pendings = Array.from({ length: n }, () => new Pending());
      for (const p of pendings) p.then(undefined, handler);
      return { act: () => pendings.forEach((p) => p.cancel()), finished };
    }),
    'caller.stop() with the calls queued': timedUntil(() => {
      const { handler, finished } = countdown(n);
      const busy = new Caller({ name: 'busy' });
      for (let i = 0; i < n; i++) busy.callSoon(f).then(undefined, handler);
      return { act: () => busy.stop(), finished };
    }),
  });
  const base = cancels.get('native rejection, one shared reason').perSecond;
  row({ name: `stop() with ${fmt(n)} queued calls vs native rejection`, ours: cancels.get('caller.stop() with the calls queued').perSecond, peer: base, unit: 'cancels/s', goal: 0.1 });
  row({ name: `cancel() of ${fmt(n)} bare Pendings vs native rejection`, ours: cancels.get('pending.cancel() of bare Pendings').perSecond, peer: base, unit: 'cancels/s', goal: 0.1 });

  caller.stop();
  await caller.stopped;
}

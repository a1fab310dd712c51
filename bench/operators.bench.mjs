// gather / asCompleted / bounded concurrency against Promise.all, forkJoin, mergeMap, a Promise.race loop
// and p-map. Every contender gets the same kind of members, made before the clock starts: promises (or
// Pendings, for the rows that say so) still unsettled when the combinator subscribes, then settled in one
// fixed shuffled order; bounded rows start each member from a function returning a promise settled in a
// microtask. A row's time runs from handing the members over until the combined result is in.
import { forkJoin, from, lastValueFrom, mergeMap, toArray } from 'rxjs';
import pMap from 'p-map';
import { asCompleted, Caller, gather, Pending } from 'rxjs-caller';
import { compare, cpuNow, fmt, quick, row } from './harness.mjs';


/** A fixed pseudo-random permutation of 0..n-1 (the same for every contender). */
function shuffled(n) {
  const order = Array.from({ length: n }, (_, i) => i);
  let seed = 42;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** n unsettled members and a function settling them all, in `order`. */
function members(kind, order) {
  const n = order.length;
  if (kind === 'pending') {
    const items = Array.from({ length: n }, () => new Pending());
    return { items, release: () => order.forEach((i) => items[i].setResult(i)) };
  }
  const resolvers = new Array(n);
  const items = Array.from({ length: n }, (_, i) => new Promise((r) => (resolvers[i] = r)));
  return { items, release: () => order.forEach((i) => resolvers[i](i)) };
}

/** A contender timed from handing `items` to `combine` until its result is in; members are made untimed. */
const timed = (kind, order, combine, check) => async () => {
  const { items, release } = members(kind, order);
  const start = cpuNow();
  const result = combine(items);
  release();
  check(await result);
  return { overriddenDuration: cpuNow() - start };
};

/** A bounded contender: `combine(n, start)` must start member i with `start(i)`; timed like `timed`. */
const bounded = (n, combine, check) => async () => {
  const start = cpuNow();
  check(await combine(n));
  return { overriddenDuration: cpuNow() - start };
};

const microtaskValue = (i) => new Promise((r) => queueMicrotask(() => r(i)));

/** asCompleted the Promise way: race what is left, drop the winner, again (quadratic). */
async function raceLoop(promises) {
  const left = new Map(promises.map((p, i) => [i, p.then((value) => [i, value])]));
  const out = [];
  while (left.size > 0) {
    const [i, value] = await Promise.race(left.values());
    left.delete(i);
    out.push(value);
  }
  return out;
}

const collect = (observable) => lastValueFrom(observable.pipe(toArray()));
const allIn = (n) => (values) => {
  if (values.length !== n) throw new Error(`got ${values.length} of ${n} results`);
};
const inOrder = (n) => (values) => {
  allIn(n)(values);
  if (values[n - 1] !== n - 1 || values[0] !== 0) throw new Error('results out of order');
};

export async function run() {
  const caller = new Caller({ name: 'operators' });
  const many = (n) => (n >= 100_000 ? { rounds: quick ? 2 : 3, time: 0, iterations: quick ? 2 : 3, warmupIterations: 1 } : { rounds: quick ? 2 : 3, time: 100 });

  for (const n of quick ? [10_000, 100_000] : [1_000, 10_000, 100_000]) {
    const order = shuffled(n);
    const ok = inOrder(n);
    const contenders = {
      'Promise.all(promises)': timed('promise', order, (items) => Promise.all(items), ok),
      'caller.gather(promises)': timed('promise', order, (items) => caller.gather(items), ok),
      'from(promises).pipe(gather())': timed('promise', order, (items) => lastValueFrom(from(items).pipe(gather())), ok),
      'from(pendings).pipe(gather())': timed('pending', order, (items) => lastValueFrom(from(items).pipe(gather())), ok),
    };
    // forkJoin adds, then splices out, one inner subscription per member: quadratic, ~minutes at 100 000.
    if (n <= 10_000) contenders['forkJoin(promises)'] = timed('promise', order, (items) => lastValueFrom(forkJoin(items)), ok);
    const rows = await compare(`gather ${fmt(n)} members`, { units: n, unit: 'member', ...many(n) }, contenders);
    const all = rows.get('Promise.all(promises)').perSecond;
    if (n === 100_000) {
      row({ name: `gather of ${fmt(n)} native promises vs Promise.all`, ours: rows.get('caller.gather(promises)').perSecond, peer: all, unit: 'members/s', goal: 0.5 });
      row({ name: `gather of ${fmt(n)} Pendings vs Promise.all`, ours: rows.get('from(pendings).pipe(gather())').perSecond, peer: all, unit: 'members/s', goal: 0.7 });
    }
    if (n === 10_000) row({ name: `gather of ${fmt(n)} promises vs forkJoin`, ours: rows.get('from(promises).pipe(gather())').perSecond, peer: rows.get('forkJoin(promises)').perSecond, unit: 'members/s', goal: 1 });
  }

  for (const n of quick ? [10_000] : [1_000, 10_000]) {
    const order = shuffled(n);
    const ok = allIn(n);
    const contenders = {
      'from(promises).pipe(mergeMap(p => p))': timed('promise', order, (items) => collect(from(items).pipe(mergeMap((p) => p))), ok),
      'from(promises).pipe(asCompleted())': timed('promise', order, (items) => collect(from(items).pipe(asCompleted())), ok),
      'from(pendings).pipe(asCompleted())': timed('pending', order, (items) => collect(from(items).pipe(asCompleted())), ok),
      'for await (caller.asCompleted(promises))': timed('promise', order, async (items) => {
        const out = [];
        for await (const settled of caller.asCompleted(items)) out.push(settled.value);
        return out;
      }, ok),
    };
    // Racing what is left after each settlement is quadratic: ~1 s at 2 000 members, far longer beyond.
    if (n <= 1_000) contenders['Promise.race loop'] = timed('promise', order, raceLoop, ok);
    // mergeMap is quadratic too (each inner subscription is spliced out of the outer one's finalizers):
    // ~4 s per iteration at 100 000, so the row compares at 10 000.
    const rows = await compare(`as completed, ${fmt(n)} members`, { units: n, unit: 'member', ...many(n) }, contenders);
    if (n === 10_000) row({ name: `asCompleted of ${fmt(n)} promises vs mergeMap`, ours: rows.get('from(promises).pipe(asCompleted())').perSecond, peer: rows.get('from(promises).pipe(mergeMap(p => p))').perSecond, unit: 'members/s', goal: 1 });
  }

  for (const n of quick ? [100_000] : [10_000, 100_000]) {
    const indices = Array.from({ length: n }, (_, i) => i);
    const thunks = indices.map((i) => () => microtaskValue(i));
    const calls = indices.map((i) => () => caller.callSoon(Number, i));
    const contenders = {
      'p-map(items, fn, {concurrency: 10})': bounded(n, () => pMap(indices, microtaskValue, { concurrency: 10 }), inOrder(n)),
      'from(thunks).pipe(asCompleted({maxConcurrent: 10}))': bounded(n, () => collect(from(thunks).pipe(asCompleted({ maxConcurrent: 10 }))), allIn(n)),
      'from(thunks).pipe(gather({concurrency: 10}))': bounded(n, () => lastValueFrom(from(thunks).pipe(gather({ concurrency: 10 }))), inOrder(n)),
    };
    if (!quick) {
      contenders['gather({concurrency: 10}) of callSoon thunks'] = bounded(n, () => lastValueFrom(from(calls).pipe(gather({ concurrency: 10 }))), inOrder(n));
      if (n <= 10_000) contenders['from(items).pipe(mergeMap(fn, 10))'] = bounded(n, () => collect(from(indices).pipe(mergeMap(microtaskValue, 10))), allIn(n));
    }
    const rows = await compare(`bounded concurrency 10, ${fmt(n)} members`, { units: n, unit: 'member', ...many(n) }, contenders);
    if (n === 100_000) row({ name: `asCompleted (limit 10) of ${fmt(n)} vs p-map`, ours: rows.get('from(thunks).pipe(asCompleted({maxConcurrent: 10}))').perSecond, peer: rows.get('p-map(items, fn, {concurrency: 10})').perSecond, unit: 'members/s', goal: 0.8 });
  }

  caller.stop();
  await caller.stopped;
}

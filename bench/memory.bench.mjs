// Bytes per unsettled pending object, against a native Promise with captured resolvers (what a deferred
// costs) and rxjs's AsyncSubject. Heap growth over 200 000 live objects, after a full GC, median of 5 (3 quick).
import { AsyncSubject } from 'rxjs';
import { Caller, Pending } from 'rxjs-caller';
import { note, quick, row } from './harness.mjs';

const N = 200_000;
const SAMPLES = quick ? 3 : 5;
const noop = () => {};

/** Heap bytes per object made by `make(i)` and kept alive; `prepare()` runs untimed before each sample. */
function bytesPer(make, prepare = () => undefined) {
  const samples = [];
  for (let r = 0; r < SAMPLES; r++) {
    const context = prepare();
    const keep = new Array(N).fill(undefined);
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < N; i++) keep[i] = make(i, context);
    globalThis.gc();
    samples.push((process.memoryUsage().heapUsed - before) / N);
    keep.fill(undefined);
    context?.stop();
  }
  return samples.sort((a, b) => a - b)[SAMPLES >> 1];
}

function deferred() {
  let resolve, reject;
  const promise = new Promise((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

export async function run() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc (npm run bench does)');
  // A caller whose backend never ticks: its calls stay queued while they are counted.
  const paused = () => new Caller({ name: 'memory', backend: { now: () => 0, schedule: () => ({ unsubscribe() {} }) } });
  const promise = bytesPer(deferred);
  const pending = bytesPer(() => new Pending());
  const promiseThen = bytesPer(() => {
    const d = deferred();
    d.promise.then(noop);
    return d;
  });
  const pendingThen = bytesPer(() => {
    const p = new Pending();
    p.then(noop);
    return p;
  });
  const call = bytesPer((i, caller) => caller.callSoon(String, i), paused);
  const subject = bytesPer(() => new AsyncSubject());
  const line = (label, bytes, base) => `${label.padEnd(44)} ${bytes.toFixed(0).padStart(5)} B   ${base === undefined ? 'baseline' : `x${(bytes / base).toFixed(2)}`}`;
  note(`heap bytes per live, unsettled object (median of ${SAMPLES} samples of ${N.toLocaleString('en')})`, [
    line('Promise + captured resolve/reject', promise),
    line('new Pending()', pending, promise),
    line('caller.callSoon(fn, i), still queued', call, promise) + '  (pending + queue slot + args array)',
    line('rxjs AsyncSubject', subject, promise),
    line('Promise + resolvers, one .then(f)', promiseThen),
    line('Pending, one .then(f)', pendingThen, promiseThen) + '  (its promise is made on first then)',
    '(index.mjs runs this file first: once any call has run, AsyncLocalStorage hooks add ~70 B to every promise)',
  ]);
  row({ name: 'bytes per Pending vs Promise + resolvers', ours: pending, peer: promise, unit: 'B each', goal: 0.5, lowerIsBetter: true });
}

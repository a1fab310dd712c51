// Bytes per pending object, against a native Promise with captured resolvers and rxjs's AsyncSubject.
import { AsyncSubject } from 'rxjs';
import { Caller, Pending } from 'rxjs-caller';
import { note } from './harness.mjs';

function bytesPer(make, n = 200_000) {
  const samples = [];
  for (let r = 0; r < 5; r++) {
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    const keep = new Array(n);
    for (let i = 0; i < n; i++) keep[i] = make(i);
    globalThis.gc();
    samples.push((process.memoryUsage().heapUsed - before) / n);
    keep.length = 0;
  }
  return samples.sort((a, b) => a - b)[2];
}

export async function run() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc (npm run bench does)');
  const paused = new Caller({ name: 'memory', backend: { now: () => 0, schedule: () => ({ unsubscribe() {} }) } });
  const promise = bytesPer(() => {
    let resolve, reject;
    const p = new Promise((a, b) => ((resolve = a), (reject = b)));
    return { p, resolve, reject };
  });
  const pending = bytesPer(() => new Pending());
  const call = bytesPer((i) => paused.callSoon(String, i));
  const subject = bytesPer(() => new AsyncSubject());
  note('memory per object (median of 5, 200 000 live objects)', [
    `native Promise + captured resolvers   ${promise.toFixed(0)} B   baseline`,
    `new Pending()                         ${pending.toFixed(0)} B   x${(pending / promise).toFixed(2)}`,
    `caller.callSoon(fn, arg) (queued)     ${call.toFixed(0)} B   x${(call / promise).toFixed(2)}  (pending + queue slot + args)`,
    `rxjs AsyncSubject                     ${subject.toFixed(0)} B   x${(subject / promise).toFixed(2)}`,
  ]);
  paused.stop();
}

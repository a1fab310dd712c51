// Thread tasks of the demo: plain functions of a module, loaded once per worker thread.
// They import rxjs-caller itself, and see the worker's own caller and the pending of their call.
import { Caller } from 'rxjs-caller';

/** Parses one shard of access-log lines: status counts and latency percentiles (CPU work). */
export function analyzeShard(name, text) {
  const statuses = {};
  const latencies = [];
  for (const line of text.split('\n')) {
    const [, status, ms] = line.split(' ');
    if (status === undefined) continue;
    statuses[status] = (statuses[status] ?? 0) + 1;
    latencies.push(Number(ms));
  }
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { name, lines: latencies.length, statuses, p50: at(0.5), p95: at(0.95), worker: Caller.current().name };
}

/** A runaway computation that only stops when its call is cancelled (it polls its signal). */
export function searchForever() {
  const signal = Caller.currentPending().signal;
  let tries = 0;
  while (!signal.aborted) tries++;
  return tries;
}

/** Streams its progress: a ThreadCaller's observe() relays each value to the main thread. */
export async function* buildIndex(steps) {
  for (let step = 1; step <= steps; step++) {
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
    yield { step, steps, checksum: Math.round(x) % 1000 };
  }
}

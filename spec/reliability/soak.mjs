// The thread fault-injection soak: `node spec/reliability/soak.mjs [calls] [seed]` (after `npm run build`).
// Sends `calls` toThread calls in bursts of hundreds in flight, ~2 % of them faulty (a thread that exits,
// throws in a timer, runs out of memory, spins through its cancel; an argument or a result that cannot
// be cloned; a thenable whose `then` throws), and prints one JSON line of what happened. The reliability
// suite runs it with 2 000 calls and asserts on that line; the README quotes a 20 000-call run.
import { Caller, config, threadTask } from 'rxjs-caller';

const CALLS = Number(process.argv[2] ?? 2000);
const SEED = Number(process.argv[3] ?? 1);
const BURST = 400;
const FAULT_RATE = 0.02;
const HUNG_AFTER_MS = 60_000;
const TASKS = new URL('../helpers/faultTasks.mjs', import.meta.url).href;

/** Each fault, and the error class its call must be rejected with. */
const FAULTS = {
  exit: 'WorkerCrashedError',
  timer: 'WorkerCrashedError',
  oom: 'WorkerCrashedError',
  spin: 'PendingCancelled',
  badArgument: 'TypeError',
  badResult: 'TypeError',
  thenable: 'Error',
};
const KINDS = Object.keys(FAULTS);

// A fixed seed makes a run repeatable (mulberry32).
let state = SEED >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const task = (name) => threadTask(TASKS, name);
const tasks = Object.fromEntries(['inc', 'exitThread', 'throwInTimer', 'exhaustMemory', 'spin', 'uncloneableResult', 'throwingThenable'].map((n) => [n, task(n)]));

config.poolResourceLimits = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 };
Caller.CANCEL_GRACE = 50;
const caller = new Caller({ name: 'soak' });

async function whenSet(shared) {
  const words = new Int32Array(shared);
  while (Atomics.load(words, 0) === 0) {
    const waited = Atomics.waitAsync(words, 0, 0);
    if (waited.async) await waited.value;
  }
}

function start(i, kind) {
  switch (kind) {
    case 'normal':
      return caller.toThread(tasks.inc, i);
    case 'exit':
      return caller.toThread(tasks.exitThread, 7);
    case 'timer':
      return caller.toThread(tasks.throwInTimer, `fault ${i}`);
    case 'oom':
      return caller.toThread(tasks.exhaustMemory);
    case 'spin': {
      const started = new SharedArrayBuffer(4);
      const call = caller.toThread(tasks.spin, started);
      // Cancelled once it runs (its thread is terminated after the grace), or before, if it never gets to.
      void Promise.race([whenSet(started), call.then(undefined, () => {})]).then(() => call.cancel('soak: stop spinning'));
      return call;
    }
    case 'badArgument':
      return caller.toThread(tasks.inc, () => i);
    case 'badResult':
      return caller.toThread(tasks.uncloneableResult);
    case 'thenable':
      return caller.toThread(tasks.throwingThenable, `then failed ${i}`);
  }
  throw new Error(kind);
}

const tally = { calls: 0, normal: 0, normalOk: 0, wrongValues: 0, normalLost: 0, faults: 0, faultsRight: 0, hung: 0, byFault: {}, lostSamples: [], wrongFaultSamples: [] };
const began = performance.now();
for (let sent = 0; sent < CALLS; ) {
  const size = Math.min(BURST, CALLS - sent);
  const calls = [];
  for (let k = 0; k < size; k++, sent++) {
    const kind = random() < FAULT_RATE ? KINDS[Math.floor(random() * KINDS.length)] : 'normal';
    calls.push({ i: sent, kind, pending: start(sent, kind) });
  }
  let timer;
  const watchdog = new Promise((resolve) => (timer = setTimeout(resolve, HUNG_AFTER_MS, 'hung')));
  await Promise.race([Promise.allSettled(calls.map((c) => c.pending)), watchdog]);
  clearTimeout(timer);
  for (const { i, kind, pending } of calls) {
    tally.calls++;
    if (!pending.done) {
      tally.hung++;
      pending.cancel('soak: hung');
      continue;
    }
    const failed = pending.state !== 'fulfilled';
    const error = pending.state === 'rejected' ? pending.exception() : undefined;
    if (kind === 'normal') {
      tally.normal++;
      if (failed) {
        tally.normalLost++;
        if (tally.lostSamples.length < 5) tally.lostSamples.push(`${i}: ${pending.state} ${error?.name}: ${error?.message}`);
      } else if (pending.result() !== i + 1) tally.wrongValues++;
      else tally.normalOk++;
    } else {
      tally.faults++;
      const name = pending.state === 'cancelled' ? 'PendingCancelled' : failed ? error?.name : 'fulfilled';
      const right = name === FAULTS[kind];
      const entry = (tally.byFault[kind] ??= { calls: 0, right: 0 });
      entry.calls++;
      if (right) {
        entry.right++;
        tally.faultsRight++;
      } else if (tally.wrongFaultSamples.length < 5) tally.wrongFaultSamples.push(`${kind}: ${name}: ${error?.message}`);
    }
  }
}
const seconds = (performance.now() - began) / 1000;
const pool = caller._pool;
caller.stop();
await caller.stopped;
// Every thread has exited once the pool has closed.
await pool?.close();
console.log(JSON.stringify({ ...tally, threadsLeft: pool?.threadCount ?? 0, seconds: Number(seconds.toFixed(1)) }));

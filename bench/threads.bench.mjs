// caller.toThread() against a raw worker_threads postMessage ping-pong and Piscina, with the same number
// of threads (the machine's parallelism). Threads are started and warmed before any timing.
import { availableParallelism } from 'node:os';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { Caller, threadTask } from 'rxjs-caller';
import { compare, fmt, quick, row } from './harness.mjs';

const THREADS = availableParallelism();
const TASKS = new URL('./tasks.mjs', import.meta.url);

/** A raw worker answering each message with itself; `call(x)` resolves with the answer (in order). */
async function rawWorker() {
  const worker = new Worker(new URL('./pingpong-worker.mjs', import.meta.url));
  const waiting = [];
  let head = 0;
  worker.on('message', (message) => {
    const resolve = waiting[head];
    waiting[head++] = undefined;
    if (head === waiting.length) waiting.length = head = 0;
    resolve(message);
  });
  await once(worker, 'online');
  return {
    call: (value) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        worker.postMessage(value);
      }),
    stop: () => worker.terminate(),
  };
}

const inSequence = (n, call) => async () => {
  for (let i = 0; i < n; i++) if ((await call(i)) !== i) throw new Error('wrong answer');
};
const inFlight = (n, call) => async () => {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => call(i)));
  if (results.length !== n || results[n - 1] !== n - 1) throw new Error('wrong answers');
};

/** Times `n` starts of a thread until it answers, then its stop (untimed). */
const starts = (start) => async () => {
  const t = performance.now();
  const stop = await start();
  const overriddenDuration = performance.now() - t;
  await stop();
  return { overriddenDuration };
};

export async function run() {
  const caller = new Caller({ name: 'threads' });
  const echo = threadTask(TASKS, 'echo');
  const toThread = (i) => caller.toThread(echo, i);
  const piscina = new Piscina({ filename: TASKS.href, minThreads: THREADS, maxThreads: THREADS });
  const raw = await rawWorker();
  // Start every thread and load the task module in each before timing.
  await Promise.all([inFlight(1_000, toThread)(), inFlight(1_000, (i) => piscina.run(i))(), inFlight(1_000, raw.call)()]);

  // Thread wake-ups dominate a round trip and swing with any other load: many short interleaved rounds.
  const seq = 2_000;
  const rt = await compare(`toThread latency: round trip of one tiny call, ${fmt(seq)} in sequence`, { units: seq, unit: 'call', baseline: 'raw postMessage ping-pong (1 worker)', rounds: quick ? 3 : 7, time: 100 }, {
    'raw postMessage ping-pong (1 worker)': inSequence(seq, raw.call),
    'await caller.toThread(echo, i)': inSequence(seq, toThread),
    'await piscina.run(i)': inSequence(seq, (i) => piscina.run(i)),
  });
  row({ name: 'toThread latency vs raw postMessage ping-pong', ours: rt.get('await caller.toThread(echo, i)').perSecond, peer: rt.get('raw postMessage ping-pong (1 worker)').perSecond, unit: 'calls/s', goal: 0.67 });

  const tiny = 5_000;
  const tp = await compare(`${fmt(tiny)} tiny calls in flight, ${THREADS} threads`, { units: tiny, unit: 'call', baseline: 'piscina.run(i)', rounds: quick ? 3 : 5, time: quick ? 100 : 200 }, {
    'piscina.run(i)': inFlight(tiny, (i) => piscina.run(i)),
    'caller.toThread(echo, i)': inFlight(tiny, toThread),
    'raw postMessage, 1 worker, one message per call': inFlight(tiny, raw.call),
  });
  row({ name: `${fmt(tiny)} tiny toThread calls vs Piscina`, ours: tp.get('caller.toThread(echo, i)').perSecond, peer: tp.get('piscina.run(i)').perSecond, unit: 'calls/s', goal: 4 });

  if (!quick) {
    const many = 100_000;
    // Piscina takes seconds per iteration here: one iteration of warm-up, then 5 rounds of one iteration.
    await compare(`${fmt(many)} tiny calls in flight, ${THREADS} threads`, { units: many, unit: 'call', baseline: 'piscina.run(i)', rounds: 5, time: 0, iterations: 1, warmupIterations: 1 }, {
      'piscina.run(i)': inFlight(many, (i) => piscina.run(i)),
      'caller.toThread(echo, i)': inFlight(many, toThread),
    });
  }

  // A ThreadCaller's worker loads the package and answers a handshake; a bare worker only comes online.
  const st = await compare('starting a thread until it answers', { units: 1, unit: 'start', baseline: 'bare new Worker (online)', rounds: quick ? 2 : 3, time: 0, iterations: quick ? 3 : 5, warmupIterations: 1 }, {
    'bare new Worker (online)': starts(async () => {
      const worker = new Worker(new URL('./pingpong-worker.mjs', import.meta.url));
      await once(worker, 'online');
      return () => worker.terminate();
    }),
    "caller.get({ thread: true }) until started": starts(async () => {
      const child = caller.get({ thread: true });
      await child.started;
      return async () => {
        child.stop();
        await child.stopped;
      };
    }),
  });
  row({ name: 'ThreadCaller start vs bare new Worker', ours: st.get("caller.get({ thread: true }) until started").perSecond, peer: st.get('bare new Worker (online)').perSecond, unit: 'starts/s', goal: 0.33 });

  caller.stop();
  await Promise.all([caller.stopped, piscina.destroy(), raw.stop()]);
}

// Thread leak checks: `node --expose-gc --no-compilation-cache spec/reliability/leaks.mjs` (after `npm run
// build`). Prints one JSON line of heap figures (bytes after full GCs): the main thread's and a ThreadCaller
// worker's, before and after 10 000 distinct inline functions, and the main thread's before and after 5 000
// cancelled toThread calls. The reliability suite checks each is within 10 % of its baseline.
// (--no-compilation-cache: V8's own cache of compiled sources keeps every `new Function` for a while,
// ~80 B each, in any program; what is measured here is what rxjs-caller keeps.)
import { Caller, threadTask } from 'rxjs-caller';

const LEAK_TASKS = new URL('../helpers/leakTasks.mjs', import.meta.url).href;
const heapAfterGc = threadTask(LEAK_TASKS, 'heapAfterGc');
const untilCancelled = threadTask(LEAK_TASKS, 'untilCancelled');
const settle = (pendings) => Promise.allSettled(pendings);

function mainHeap() {
  for (let i = 0; i < 6; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/** `count` distinct self-contained functions, sent in bursts of 500, each checked. */
async function inlineFunctions(run, first, count) {
  for (let i = first; i < first + count; i += 500) {
    const calls = [];
    for (let k = i; k < Math.min(i + 500, first + count); k++) calls.push(run(new Function('x', `return x + ${k};`), 1).then((v) => v === k + 1));
    if ((await Promise.all(calls)).includes(false)) throw new Error('wrong value');
  }
}

const caller = new Caller({ name: 'leaks' });
const worker = caller.get({ name: 'inline', thread: true });
await worker.started;
// Warm-up: more distinct functions than the caches keep, so the baseline has them full.
await inlineFunctions((f, x) => worker.callSoon(f, x), 0, 1_000);
const inline = { mainBefore: mainHeap(), workerBefore: await worker.callSoon(heapAfterGc) };
await inlineFunctions((f, x) => worker.callSoon(f, x), 1_000, 10_000);
inline.mainAfter = mainHeap();
inline.workerAfter = await worker.callSoon(heapAfterGc);
worker.stop();
await worker.stopped;

async function cancelledCalls(rounds) {
  for (let r = 0; r < rounds; r++) {
    const calls = Array.from({ length: 1_000 }, () => caller.toThread(untilCancelled));
    // Half cancelled before they reach a thread, half once running.
    calls.slice(0, 500).forEach((call) => call.cancel('leak check: early'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    calls.slice(500).forEach((call) => call.cancel('leak check: running'));
    await settle(calls);
  }
}
await cancelledCalls(2);
const cancelled = { mainBefore: mainHeap() };
await cancelledCalls(5);
cancelled.mainAfter = mainHeap();
caller.stop();
await caller.stopped;
const ratio = (after, before) => Number((after / before).toFixed(3));
console.log(
  JSON.stringify({
    inline: { ...inline, mainRatio: ratio(inline.mainAfter, inline.mainBefore), workerRatio: ratio(inline.workerAfter, inline.workerBefore) },
    cancelled: { ...cancelled, mainRatio: ratio(cancelled.mainAfter, cancelled.mainBefore) },
  }),
);

// The demo: an access-log analytics job. Shards are "downloaded" on an io caller, analysed on worker
// threads as they arrive, reported on a ui caller in completion order, then gathered into one report.
// It also shows cancellation reaching into a busy worker, a thread caller streaming progress, structured
// concurrency with a PendingGroup, and a clean stop that leaves no thread running.
import { from, lastValueFrom, map, observeOn, take, toArray } from 'rxjs';
import { Caller, PendingGroupError, PendingTimeout, asCompleted, threadModule, wait } from 'rxjs-caller';

const tasks = threadModule(new URL('./tasks.mjs', import.meta.url));
const started = performance.now();
const log = (text) => console.log(`${String(Math.round(performance.now() - started)).padStart(6)} ms  ${text}`);

const app = new Caller({ name: 'app' });
const io = app.get({ name: 'io' });
const ui = app.get({ name: 'ui', backend: 'async' });
log(`started ${app} with ${io} and ${ui}`);

// 1. "Download" 16 shards on the io caller: each arrives after a pseudo-random delay.
const SHARDS = 16;
const STATUSES = ['200', '200', '200', '200', '304', '404', '500'];
function makeShard(index) {
  let seed = index * 7919 + 1;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const lines = [];
  for (let i = 0; i < 40_000; i++) lines.push(`GET ${STATUSES[Math.floor(random() * STATUSES.length)]} ${Math.round(5 + random() ** 3 * 900)}`);
  return lines.join('\n');
}
const downloads = Array.from({ length: SHARDS }, (_, i) => () => io.callLater(20 + ((i * 37) % 90), makeShard, i));

// 2. Analyse each shard on a worker thread as soon as it arrives, at most 4 at a time, and report progress
//    on the ui caller in the order the analyses finish.
log(`analysing ${SHARDS} shards on up to 4 worker threads…`);
let done = 0;
const summaries = await lastValueFrom(
  from(downloads.map((download, i) => () => download().then((text) => app.toThread(tasks.analyzeShard, `shard-${String(i).padStart(2, '0')}`, text)))).pipe(
    asCompleted({ maxConcurrent: 4 }),
    observeOn(ui),
    map((finished) => {
      const s = finished.result();
      log(`[${String(++done).padStart(2)}/${SHARDS}] ${s.name} ✓ ${s.lines} lines, p50 ${s.p50} ms, p95 ${s.p95} ms (${s.worker}, shown on ${Caller.current().name})`);
      return s;
    }),
    toArray(),
  ),
);

// 3. Gather the per-shard figures into one report (gather keeps source order).
const totals = await app.gather(summaries.map((s) => () => io.callSoon(() => s.statuses)));
const merged = {};
for (const statuses of totals) for (const [code, n] of Object.entries(statuses)) merged[code] = (merged[code] ?? 0) + n;
const lines = summaries.reduce((n, s) => n + s.lines, 0);
log(`report: ${lines} requests, ${Object.entries(merged).map(([c, n]) => `${c}: ${((100 * n) / lines).toFixed(1)}%`).join(', ')}`);
log(`worst shard p95: ${Math.max(...summaries.map((s) => s.p95))} ms`);

// 4. Cancellation reaches into a worker: a runaway search is given 200 ms, then cancelled; the task sees
//    its signal abort inside its synchronous loop and returns.
const search = app.toThread(tasks.searchForever);
try {
  await search.wait({ timeout: 200 });
} catch (error) {
  if (!(error instanceof PendingTimeout)) throw error;
  log(`runaway search: ${error.message}; the pending is ${search.state}`);
}
await search.cancelWait();
log(`runaway search ended ${search.state} (the worker saw its signal abort mid-loop)`);

// 5. A thread caller of its own, streaming progress back with observe().
const indexer = app.get({ name: 'indexer', thread: true });
await lastValueFrom(
  indexer.observe(tasks.buildIndex, 5).pipe(
    map(({ step, steps, checksum }) => log(`indexer on its own thread: step ${step}/${steps} (checksum ${checksum})`)),
    take(5),
  ),
);

// 6. Structured concurrency: one failing mirror cancels its siblings, and the group says why.
const group = app.createPendingGroup();
const mirrors = [];
try {
  await group.run(() => {
    mirrors.push(io.callLater(50, () => 'eu mirror synced'));
    mirrors.push(io.callLater(30, () => { throw new Error('us mirror: disk full'); }));
    mirrors.push(io.callLater(500, () => 'asia mirror synced'));
  });
} catch (error) {
  if (!(error instanceof PendingGroupError)) throw error;
  log(`mirror sync failed: ${error.message}; siblings: ${mirrors.map((m) => m.state).join(', ')}`);
}

// 7. wait(): take whichever replica answers first, leave the other running.
const replicas = [io.callLater(40, () => 'replica A'), io.callLater(120, () => 'replica B')];
const { done: first, pending: rest } = await lastValueFrom(from(replicas).pipe(wait({ returnWhen: 'FIRST_COMPLETED' })));
log(`first replica: ${[...first][0].result()} (${rest.size} still running)`);

// 8. Health probes, taken as they complete: caller.asCompleted yields Settled records, failures included.
const probes = [
  io.callLater(30, () => 'eu: ok'),
  io.callLater(10, () => {
    throw new Error('us: timed out');
  }),
  io.callLater(20, () => 'ap: ok'),
];
for await (const probe of app.asCompleted(probes)) log(`probe ${probe.status}: ${probe.status === 'fulfilled' ? probe.value : probe.reason.message}`);

// 9. Stop everything: children first, threads terminated, nothing left unsettled; stop() returns `stopped`.
await app.stop();
log(`stopped: ${app}; ${Caller.all({ runningOnly: true }).filter((c) => c !== Caller.current()).length} other callers running`);

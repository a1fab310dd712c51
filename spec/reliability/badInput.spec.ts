import { asyncScheduler } from 'rxjs';
import { config } from '../../lib/config.js';
import { Pending } from '../../lib/Pending.js';
import { PendingGroup } from '../../lib/PendingGroup.js';
import { asCompleted } from '../../operators/asCompleted.js';
import { gather } from '../../operators/gather.js';
import { wait } from '../../operators/wait.js';
import { Caller } from '../../schedulers/Caller.js';
import { stopAllCallers } from '../helpers/callers.js';
import { takeReports } from '../helpers/reports.js';
import { badInputCases, expectBadInputOutcome, type BadInputRow } from '../helpers/badInput.js';

/**
 * Bad input over every public function, constructor, option and static setting of the same-thread API
 * (issue 8, defect 9): each bad value gives a clear TypeError or RangeError naming the argument, or a
 * documented behaviour (README, Reliability) — and none hangs or crashes. Rows are data: a row names the
 * argument, how to pass a value in its place, and which bad values it accepts and what then happens.
 * (Thread and process options get rows of their own from the threads side.)
 */

let caller: Caller;
const fn = () => 1;

/** A pending made by the row is settled: a cancellable one is cancelled (so nothing is left running). */
const settlesWhenCancelled = async (result: unknown) => {
  const pending = result as Pending<unknown>;
  expect(pending).toBeInstanceOf(Pending);
  pending.cancel('bad-input test');
  await pending.then(
    () => undefined,
    () => undefined,
  );
  expect(pending.done).toBe(true);
};
/** The returned pending fails with the bad value's own error (a member, an input that cannot be read). */
const rejects = async (result: unknown) => {
  const pending = result as Pending<unknown>;
  expect(pending).toBeInstanceOf(Pending);
  await expect(pending).rejects.toThrow(/hostile proxy trap|thenable then threw/);
};
/** Durations: Infinity means never; everything else that is not a number >= 0 throws. */
const duration = { Infinity: 'ok' } as const;
/** Options objects: a Proxy's own error goes through; a thenable is an object with no known option. */
const optionsObject = { 'a Proxy that throws': 'own error', 'a thenable that throws': 'ok' } as const;

const ROWS: BadInputRow[] = [
  // Pending
  { api: 'new Pending(options)', arg: 'options', call: (v) => new Pending(v as never), accepts: optionsObject },
  { api: 'new Pending({ metadata })', arg: 'options.metadata', call: (v) => new Pending({ metadata: v as never }), accepts: { 'a Proxy that throws': 'ok', 'a thenable that throws': 'ok' } },
  { api: 'new Pending({ protect })', arg: 'options.protect', call: (v) => new Pending({ protect: v as never }) },
  { api: 'new Pending({ signal })', arg: 'options.signal', call: (v) => new Pending({ signal: v as never }) },
  { api: 'Pending.from(input)', arg: 'input', call: (v) => Pending.from(v as never), accepts: { 'a string': 'ok', 'a Proxy that throws': rejects, 'a thenable that throws': rejects } },
  { api: 'Pending.from(input, options)', arg: 'options', call: (v) => Pending.from([1], v as never), accepts: optionsObject },
  { api: 'Pending.from(input, { protect })', arg: 'options.protect', call: (v) => Pending.from([1], { protect: v as never }) },
  { api: 'pending.cancel(reason)', arg: 'reason', call: (v) => new Pending().cancel(v as never), accepts: { 'a string': 'ok' } },
  { api: 'pending.cancelWait(reason)', arg: 'reason', call: (v) => new Pending().cancelWait(v as never), accepts: { 'a string': 'ok' } },
  { api: 'pending.setCanceller(canceller)', arg: 'canceller', call: (v) => new Pending().setCanceller(v as never) },
  { api: 'pending.addDoneCallback(callback)', arg: 'callback', call: (v) => new Pending().addDoneCallback(v as never) },
  { api: 'pending.removeDoneCallback(callback)', arg: 'callback', call: (v) => new Pending().removeDoneCallback(v as never) },
  { api: 'pending.wait(options)', arg: 'options', call: (v) => waitOnSettled(v), accepts: optionsObject },
  { api: 'pending.wait({ timeout })', arg: 'options.timeout', call: (v) => waitOnSettled({ timeout: v }), accepts: duration },
  { api: 'pending.wait({ protect })', arg: 'options.protect', call: (v) => waitOnSettled({ protect: v }) },

  // Caller: constructor, statics, settings
  { api: 'new Caller(options)', arg: 'options', call: (v) => new Caller(v as never), accepts: optionsObject },
  { api: 'new Caller({ name })', arg: 'options.name', call: (v) => new Caller({ name: v as never }), accepts: { 'a string': 'ok' } },
  { api: 'new Caller({ backend })', arg: 'options.backend', call: (v) => new Caller({ backend: v as never }) },
  { api: 'new Caller({ protected })', arg: 'options.protected', call: (v) => new Caller({ protected: v as never }) },
  { api: 'Caller.getExisting(id)', arg: 'id', call: (v) => Caller.getExisting(v as never), accepts: { NaN: 'ok', 'a negative number': 'ok', Infinity: 'ok' } },
  { api: 'Caller.all(options)', arg: 'options', call: (v) => Caller.all(v as never), accepts: optionsObject },
  { api: 'Caller.all({ runningOnly })', arg: 'options.runningOnly', call: (v) => Caller.all({ runningOnly: v as never }) },
  { api: 'Caller.CANCEL_GRACE = value', arg: 'Caller.CANCEL_GRACE', call: (v) => (Caller.CANCEL_GRACE = v as never), accepts: duration },
  { api: 'Caller.IDLE_WORKER_SHUTDOWN_DURATION = value', arg: 'Caller.IDLE_WORKER_SHUTDOWN_DURATION', call: (v) => (Caller.IDLE_WORKER_SHUTDOWN_DURATION = v as never), accepts: duration },
  { api: 'Caller.MAX_IDLE_POOL_INSTANCES = value', arg: 'Caller.MAX_IDLE_POOL_INSTANCES', call: (v) => (Caller.MAX_IDLE_POOL_INSTANCES = v as never), accepts: { Infinity: 'ok' } },
  { api: 'config.onUnobservedError = value', arg: 'config.onUnobservedError', call: (v) => (config.onUnobservedError = v as never) },

  // Caller: calls
  { api: 'caller.schedule(work)', arg: 'work', call: (v) => caller.schedule(v as never) },
  { api: 'caller.schedule(work, delay)', arg: 'delay', call: (v) => caller.schedule(fn, v as never), accepts: { NaN: 'ok', 'a negative number': 'ok', Infinity: 'ok' } },
  { api: 'caller.callSoon(fn)', arg: 'fn', call: (v) => caller.callSoon(v as never) },
  { api: 'caller.callLater(delay, fn)', arg: 'delay', call: (v) => caller.callLater(v as never, fn), accepts: { Infinity: settlesWhenCancelled } },
  { api: 'caller.callLater(delay, fn) (fn)', arg: 'fn', call: (v) => caller.callLater(1, v as never) },
  { api: 'caller.callDirect(fn)', arg: 'fn', call: (v) => caller.callDirect(v as never) },
  { api: 'caller.scheduleCall(fn, args)', arg: 'args', call: (v) => caller.scheduleCall(fn, v as never) },
  { api: 'caller.scheduleCall(fn, args, options)', arg: 'options', call: (v) => caller.scheduleCall(fn, [], v as never), accepts: { 'a Proxy that throws': 'own error', 'a thenable that throws': settlesWhenCancelled } },
  { api: 'caller.scheduleCall(fn, args, { metadata })', arg: 'options.metadata', call: (v) => caller.scheduleCall(fn, [], { metadata: v as never }), accepts: { 'a Proxy that throws': 'own error', 'a thenable that throws': settlesWhenCancelled } },
  { api: 'caller.scheduleCall(fn, args, { track })', arg: 'options.track', call: (v) => caller.scheduleCall(fn, [], { track: v as never }) },
  { api: 'caller.scheduleCall(fn, args, { backend })', arg: 'options.backend', call: (v) => caller.scheduleCall(fn, [], { backend: v as never }) },
  { api: 'caller.callUsingBackend(backend, fn)', arg: 'backend', call: (v) => caller.callUsingBackend(v as never, fn) },
  { api: 'caller.queueCall(fn)', arg: 'fn', call: (v) => caller.queueCall(v as never) },
  { api: 'caller.queueGet(fn)', arg: 'fn', call: (v) => caller.queueGet(v as never) },
  { api: 'caller.queueClose(fn)', arg: 'fn', call: (v) => caller.queueClose(v as never) },
  { api: 'caller.get(options)', arg: 'options', call: (v) => caller.get(v as never), accepts: optionsObject },
  { api: 'caller.get({ name })', arg: 'options.name', call: (v) => caller.get({ name: v as never }), accepts: { 'a string': 'ok' } },
  { api: 'caller.get({ backend })', arg: 'options.backend', call: (v) => caller.get({ backend: v as never }) },
  { api: 'caller.stop(options)', arg: 'options', call: (v) => new Caller().stop(v as never), accepts: optionsObject },
  { api: 'caller.stop({ force })', arg: 'options.force', call: (v) => new Caller().stop({ force: v as never }) },

  // Caller: combinators
  { api: 'caller.gather(items)', arg: 'items', call: (v) => caller.gather(v as never) },
  { api: 'caller.gather(items, { returnExceptions })', arg: 'options.returnExceptions', call: (v) => caller.gather([], { returnExceptions: v as never }) },
  { api: 'caller.gather(items, { concurrency })', arg: 'options.concurrency', call: (v) => caller.gather([], { concurrency: v as never }), accepts: { Infinity: 'ok' } },
  { api: 'caller.wait(items)', arg: 'items', call: (v) => caller.wait(v as never) },
  { api: 'caller.wait(items, { timeout })', arg: 'options.timeout', call: (v) => caller.wait([], { timeout: v as never }), accepts: duration },
  { api: 'caller.wait(items, { returnWhen })', arg: 'options.returnWhen', call: (v) => caller.wait([], { returnWhen: v as never }) },
  { api: 'caller.asCompleted(items)', arg: 'items', call: (v) => caller.asCompleted(v as never) },
  { api: 'caller.asCompleted(items, { maxConcurrent })', arg: 'options.maxConcurrent', call: (v) => caller.asCompleted([], { maxConcurrent: v as never }), accepts: { Infinity: 'ok' } },
  { api: 'caller.asCompleted(items, { cancelUnfinished })', arg: 'options.cancelUnfinished', call: (v) => caller.asCompleted([], { cancelUnfinished: v as never }) },
  { api: 'caller.createPendingGroup({ mode })', arg: 'options.mode', call: (v) => caller.createPendingGroup({ mode: v as never }) },
  { api: 'caller.createPendingGroup({ shield })', arg: 'options.shield', call: (v) => caller.createPendingGroup({ shield: v as never }) },
  { api: 'caller.createPendingGroup({ timeout })', arg: 'options.timeout', call: (v) => caller.createPendingGroup({ timeout: v as never }), accepts: duration },

  // Operators
  { api: 'gather(options)', arg: 'options', call: (v) => gather(v as never), accepts: optionsObject },
  { api: 'gather({ returnExceptions })', arg: 'options.returnExceptions', call: (v) => gather({ returnExceptions: v as never }) },
  { api: 'gather({ concurrency })', arg: 'options.concurrency', call: (v) => gather({ concurrency: v as never }), accepts: { Infinity: 'ok' } },
  { api: 'asCompleted({ maxConcurrent })', arg: 'options.maxConcurrent', call: (v) => asCompleted({ maxConcurrent: v as never }), accepts: { Infinity: 'ok' } },
  { api: 'asCompleted({ cancelUnfinished })', arg: 'options.cancelUnfinished', call: (v) => asCompleted({ cancelUnfinished: v as never }) },
  { api: 'wait({ timeout })', arg: 'options.timeout', call: (v) => wait({ timeout: v as never }), accepts: duration },
  { api: 'wait({ returnWhen })', arg: 'options.returnWhen', call: (v) => wait({ returnWhen: v as never }) },
  { api: 'wait({ scheduler })', arg: 'options.scheduler', call: (v) => wait({ scheduler: v as never }) },

  // PendingGroup
  { api: 'new PendingGroup(options)', arg: 'options', call: (v) => new PendingGroup(v as never), accepts: optionsObject },
  { api: 'new PendingGroup({ mode })', arg: 'options.mode', call: (v) => new PendingGroup({ mode: v as never }) },
  { api: 'new PendingGroup({ shield })', arg: 'options.shield', call: (v) => new PendingGroup({ shield: v as never }) },
  { api: 'new PendingGroup({ timeout })', arg: 'options.timeout', call: (v) => new PendingGroup({ timeout: v as never }), accepts: duration },
  { api: 'new PendingGroup({ scheduler })', arg: 'options.scheduler', call: (v) => new PendingGroup({ scheduler: v as never }) },
  { api: 'group.run(body)', arg: 'body', call: (v) => new PendingGroup().run(v as never) },
  { api: 'group.add(pending)', arg: 'pending', call: (v) => new PendingGroup().add(v as never) },
  { api: 'group.cancel(reason)', arg: 'reason', call: (v) => new PendingGroup().cancel(v as never), accepts: { 'a string': 'ok' } },
];

/** `wait()` on a settled pending: with no timeout timer left behind. */
function waitOnSettled(options: unknown): Promise<unknown> {
  const p = new Pending<number>();
  p.setResult(1);
  return p.wait(options as never);
}

const CASES = badInputCases(ROWS);

describe('bad input (table-driven)', () => {
  const saved = { grace: Caller.CANCEL_GRACE, idle: Caller.IDLE_WORKER_SHUTDOWN_DURATION, maxIdle: Caller.MAX_IDLE_POOL_INSTANCES, sink: config.onUnobservedError, entry: config.workerEntry };
  beforeEach(() => {
    caller = new Caller({ name: 'bad-input' });
  });
  afterEach(async () => {
    Caller.CANCEL_GRACE = saved.grace;
    Caller.IDLE_WORKER_SHUTDOWN_DURATION = saved.idle;
    Caller.MAX_IDLE_POOL_INSTANCES = saved.maxIdle;
    config.onUnobservedError = saved.sink;
    config.workerEntry = saved.entry;
    await stopAllCallers();
  });

  it.each(CASES)('$name', async (row) => {
    const { result } = await expectBadInputOutcome(row, row.kind);
    if (row.accepts?.[row.kind] === 'ok' && result instanceof Pending) await settlesWhenCancelled(result);
    // Nothing escaped: no unhandled error, no unobserved failure left behind by the bad value.
    expect(await takeReports()).toEqual([]);
  });

  it('should name every setting it accepts back as it was set (Infinity means never)', () => {
    Caller.CANCEL_GRACE = Infinity;
    Caller.IDLE_WORKER_SHUTDOWN_DURATION = Infinity;
    Caller.MAX_IDLE_POOL_INSTANCES = 0;
    expect([Caller.CANCEL_GRACE, Caller.IDLE_WORKER_SHUTDOWN_DURATION, Caller.MAX_IDLE_POOL_INSTANCES]).toEqual([Infinity, Infinity, 0]);
    expect(() => (Caller.MAX_IDLE_POOL_INSTANCES = 1.5)).toThrow(RangeError);
    expect(Caller.MAX_IDLE_POOL_INSTANCES).toBe(0);
  });

  it("should refuse backend 'animationFrame' at construction where requestAnimationFrame does not exist", () => {
    expect(typeof (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame).toBe('undefined');
    expect(() => new Caller({ backend: 'animationFrame' })).toThrow(/`options\.backend` 'animationFrame' only where `requestAnimationFrame` exists/);
    expect(() => caller.callUsingBackend('animationFrame', fn)).toThrow(TypeError);
  });

  it('should let a caller settle a cancelled call with CANCEL_GRACE = Infinity only when its work ends', async () => {
    Caller.CANCEL_GRACE = Infinity;
    let finish!: () => void;
    const call = caller.callSoon(() => new Promise<void>((resolve) => (finish = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    call.cancel('stop');
    await new Promise((resolve) => asyncScheduler.schedule(resolve, 20));
    expect(call.state).toBe('cancelling');
    finish();
    await call.then(
      () => undefined,
      () => undefined,
    );
    expect(call.state).toBe('cancelled');
  });
});

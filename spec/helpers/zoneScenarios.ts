/**
 * Runs in a child process (through tsx) with zone.js loaded, so its patches never reach jest's other
 * suites: each scenario records which zone every callback ran in, and the results go back to the test
 * (spec/schedulers/zones.spec.ts) over IPC. zone.js's Node build is used: its browser build patches
 * MessagePort listeners and throws on Node's ports.
 */
import 'zone.js/node';
import { asapScheduler, observeOn, of, timer } from 'rxjs';
import { Caller } from '../../schedulers/Caller';
import '../../schedulers/ThreadCaller'; // registers get({ thread })
import { Pending } from '../../lib/Pending';
import { setZone } from '../../lib/internal/zones';
import { outsideScheduler } from '../../angular/internal/outsideScheduler';
import { threadModule } from '../../schedulers/threads/threadModule';
import { asCompleted } from '../../operators/asCompleted';
import type * as Tasks from './tasks';

interface ZoneApi {
  readonly name: string;
  fork(spec: { name: string; onScheduleTask?: (delegate: { scheduleTask(target: ZoneApi, task: { source: string }): unknown }, current: ZoneApi, target: ZoneApi, task: { source: string }) => unknown }): ZoneApi;
  run<R>(fn: () => R): R;
}
const Zone = (globalThis as unknown as { Zone: { current: ZoneApi; root: ZoneApi } }).Zone;
const here = (): string => Zone.current.name;
const zoneA = Zone.root.fork({ name: 'A' });
const zoneB = Zone.root.fork({ name: 'B' });
const zoneW = Zone.root.fork({ name: 'W' });
const tasks = threadModule<typeof Tasks>(require.resolve('./tasks'));

type Scenario = () => Promise<Record<string, string | string[]>>;

const scenarios: Record<string, Scenario> = {
  async 'calls queued in one tick from two zones each run in their own zone'() {
    const caller = new Caller({ name: 'batch' });
    const seen: string[] = [];
    const a = zoneA.run(() => caller.callSoon(() => seen.push(`a:${here()}`)));
    const b = zoneB.run(() => caller.callSoon(() => seen.push(`b:${here()}`)));
    await Promise.all([a, b]);
    await caller.stop();
    return { seen };
  },

  async 'callDirect and callLater run in the zone they were made in'() {
    const caller = new Caller();
    const seen: string[] = [];
    zoneB.run(() => caller.callSoon(() => undefined)); // the batch is started from B
    zoneA.run(() => caller.callDirect(() => seen.push(`direct:${here()}`)));
    await zoneA.run(() => caller.callLater(5, () => seen.push(`later:${here()}`)));
    await caller.stop();
    return { seen };
  },

  async 'observeOn delivers in the zone of the subscription, whoever started the batch'() {
    const caller = new Caller();
    const seen: string[] = [];
    zoneB.run(() => caller.callSoon(() => undefined));
    await new Promise<void>((resolve) => zoneA.run(() => of(1, 2).pipe(observeOn(caller)).subscribe({ next: (v) => seen.push(`${v}:${here()}`), complete: resolve })));
    await new Promise<void>((resolve) => zoneA.run(() => timer(5, caller).subscribe({ next: () => seen.push(`timer:${here()}`), complete: resolve })));
    await caller.stop();
    return { seen };
  },

  async "a pending's subscribers, done callbacks and awaiters run in the zone they were added in"() {
    const pending = new Pending<number>();
    const seen: string[] = [];
    zoneA.run(() => pending.subscribe((v) => seen.push(`subscriber:${v}:${here()}`)));
    zoneB.run(() => pending.addDoneCallback(() => seen.push(`done:${here()}`)));
    const awaited = zoneA.run(() => pending.then((v) => seen.push(`then:${v}:${here()}`)));
    zoneW.run(() => pending.setResult(1));
    await awaited;
    return { seen };
  },

  async 'toThread results come back in the zone of each call, not of the first worker'() {
    const caller = new Caller();
    const seen: string[] = [];
    await zoneW.run(() => caller.toThread(tasks.add, 1, 1)); // starts the pool's worker from W
    const a = zoneA.run(() => {
      const pending = caller.toThread(tasks.add, 2, 2);
      pending.subscribe((v) => seen.push(`subscriber:${v}:${here()}`));
      pending.addDoneCallback(() => seen.push(`done:${here()}`));
      return pending;
    });
    const b = zoneB.run(() => caller.toThread(tasks.add, 3, 3).then((v) => seen.push(`then:${v}:${here()}`)));
    const completed: string[] = [];
    await new Promise<void>((resolve) =>
      zoneA.run(() => of(caller.toThread(tasks.add, 4, 4)).pipe(asCompleted()).subscribe({ next: (p) => completed.push(`${p.result()}:${here()}`), complete: resolve })),
    );
    await Promise.all([a, b]);
    await caller.stop();
    return { seen: seen.sort(), completed };
  },

  async 'a ThreadCaller answers calls and streams in the zone of each call'() {
    const owner = new Caller();
    const thread = zoneW.run(() => owner.get({ name: 'zoned', thread: true }));
    await zoneW.run(() => thread.callSoon(tasks.add, 0, 0));
    const seen: string[] = [];
    await zoneA.run(() => thread.callSoon(tasks.add, 1, 2).then((v) => seen.push(`call:${v}:${here()}`)));
    await new Promise<void>((resolve) =>
      zoneB.run(() => thread.observe(tasks.countObservable, 2).subscribe({ next: (v) => seen.push(`stream:${v}:${here()}`), complete: () => (seen.push(`complete:${here()}`), resolve()) })),
    );
    await owner.stop();
    return { seen };
  },

  async "a caller given a zone of its own runs its calls there and settles them in the caller's zone"() {
    const caller = new Caller({ name: 'outside' });
    setZone(caller, zoneW); // what rxjs-caller/angular does for zone: 'outside'
    const seen: string[] = [];
    const pending = zoneA.run(() => caller.callSoon(() => here()));
    zoneA.run(() => pending.subscribe((ranIn) => seen.push(`ran:${ranIn}`, `subscriber:${here()}`)));
    zoneA.run(() => pending._addPassiveCallback(() => seen.push(`settled:${here()}`)));
    await pending;
    await caller.stop();
    return { seen };
  },

  async "a caller with a zone of its own schedules no task in the caller's zone; an ordinary caller does"() {
    const counted = (name: string) => {
      const sources: string[] = [];
      const zone = Zone.root.fork({
        name,
        onScheduleTask(delegate, _current, target, task) {
          sources.push(task.source);
          return delegate.scheduleTask(target, task);
        },
      });
      return { zone, sources };
    };
    const exercise = async (caller: Caller, zone: ZoneApi) => {
      const seen: string[] = [];
      const done = zone.run(() => [
        caller.callSoon(() => seen.push(`call:${here()}`)),
        caller.callLater(5, () => seen.push(`later:${here()}`)),
        new Promise<void>((resolve) => of(1).pipe(observeOn(caller)).subscribe({ next: () => seen.push(`value:${here()}`), complete: resolve })),
        new Promise<void>((resolve) => timer(5, caller).subscribe({ next: () => seen.push(`timer:${here()}`), complete: resolve })),
      ]);
      await Promise.all(done);
      await caller.stop();
      return seen.sort();
    };
    // What rxjs-caller/angular's zone: 'outside' makes: a backend scheduling from the outer zone, and that zone as the caller's own.
    const outside = new Caller({ name: 'outside', backend: outsideScheduler(asapScheduler, (fn) => zoneW.run(fn)) });
    setZone(outside, zoneW);
    const a = counted('A');
    const seenOutside = await exercise(outside, a.zone);
    const b = counted('B');
    const seenInside = await exercise(new Caller({ name: 'inside' }), b.zone);
    return { seenOutside, tasksOutside: a.sources, seenInside, insideScheduledTasks: String(b.sources.length > 0) };
  },
};

async function main(): Promise<void> {
  const results: Record<string, unknown> = {};
  for (const [name, scenario] of Object.entries(scenarios)) {
    try {
      results[name] = await scenario();
    } catch (error) {
      results[name] = { error: String((error as Error)?.stack ?? error) };
    }
  }
  process.send!(results, () => process.exit(0));
}

void main();

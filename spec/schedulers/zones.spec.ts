/**
 * zone.js (DESIGN §7): every callback made on a user's behalf runs in the zone that was current when its
 * call or subscription was made. The scenarios run in a child process with zone.js loaded
 * (spec/helpers/zoneScenarios.ts), so its patches never reach the other suites.
 */
import { fork } from 'node:child_process';
import { observeOn, of } from 'rxjs';
import { Caller } from '../../schedulers/Caller';
import { Pending } from '../../lib/Pending';
import { zonesInUse } from '../../lib/internal/zones';

type Results = Record<string, Record<string, unknown>>;

describe('zones (zone.js in a child process)', () => {
  let results: Results;

  beforeAll(async () => {
    const child = fork(require.resolve('../helpers/zoneScenarios'), [], { execArgv: ['--require', require.resolve('tsx/cjs')], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    results = await new Promise<Results>((resolve, reject) => {
      child.once('message', (message) => resolve(message as Results));
      child.once('exit', (code) => reject(new Error(`the zone scenarios exited with ${code} before answering`)));
    });
  }, 60_000);

  const scenario = (name: string) => {
    expect(results).toHaveProperty([name]);
    return results[name]!;
  };

  it('should run calls queued in one tick from two zones each in its own zone, not the zone that started the batch', () => {
    expect(scenario('calls queued in one tick from two zones each run in their own zone')).toEqual({ seen: ['a:A', 'b:B'] });
  });

  it('should run callDirect and callLater in the zone they were made in', () => {
    expect(scenario('callDirect and callLater run in the zone they were made in')).toEqual({ seen: ['direct:A', 'later:A'] });
  });

  it('should deliver observeOn(caller) and timer(caller) values in the zone of the subscription', () => {
    expect(scenario('observeOn delivers in the zone of the subscription, whoever started the batch')).toEqual({ seen: ['1:A', '2:A', 'timer:A'] });
  });

  it("should run a pending's subscribers, done callbacks and awaiters in the zone they were added in, whoever settles it", () => {
    expect(scenario("a pending's subscribers, done callbacks and awaiters run in the zone they were added in")).toEqual({
      seen: ['subscriber:1:A', 'done:B', 'then:1:A'],
    });
  });

  it("should bring toThread results back in each call's zone, not the zone the pool's worker was started in", () => {
    expect(scenario('toThread results come back in the zone of each call, not of the first worker')).toEqual({
      seen: ['done:A', 'subscriber:4:A', 'then:6:B'],
      completed: ['8:A'],
    });
  });

  it("should answer a ThreadCaller's calls and streams in the zone of each call or subscription", () => {
    expect(scenario('a ThreadCaller answers calls and streams in the zone of each call')).toEqual({
      seen: ['call:3:A', 'stream:1:B', 'stream:2:B', 'complete:B'],
    });
  });

  it("should run the calls of a caller given its own zone there, and settle them in the caller's zone", () => {
    expect(scenario("a caller given a zone of its own runs its calls there and settles them in the caller's zone")).toEqual({
      seen: ['ran:W', 'subscriber:A', 'settled:A'],
    });
  });

  it("should take a zone-owning caller's ticks and timers in its own zone: the caller's zone sees no task, only deliveries", () => {
    expect(scenario("a caller with a zone of its own schedules no task in the caller's zone; an ordinary caller does")).toEqual({
      seenOutside: ['call:W', 'later:W', 'timer:A', 'value:A'],
      tasksOutside: [],
      seenInside: ['call:B', 'later:B', 'timer:B', 'value:B'],
      insideScheduledTasks: 'true',
    });
  });
});

describe('zones without zone.js', () => {
  it('should remember nothing (no per-call bookkeeping) when zone.js is not loaded', async () => {
    expect((globalThis as { Zone?: unknown }).Zone).toBeUndefined();
    const caller = new Caller();
    const pending = new Pending<number>();
    pending.subscribe(() => undefined);
    pending.addDoneCallback(() => undefined);
    pending.setResult(1);
    await caller.callSoon(() => 1);
    await new Promise<void>((resolve) => of(1).pipe(observeOn(caller)).subscribe({ complete: resolve }));
    expect(zonesInUse()).toBe(false);
    await caller.stop();
  });
});

/**
 * The zone paths of the core, in this process: rxjs-caller uses only `Zone.current` and `zone.run(fn,
 * this, args)` of zone.js (lib/internal/zones.ts), so a stand-in `Zone` global that keeps the current zone
 * in a variable exercises every branch that picks a zone. jest gives each test file its own global, so the
 * stand-in reaches no other suite. What only real zone.js does (carrying the zone through promises, timers
 * and worker messages) is tested against zone.js itself in a child process (zones.spec.ts).
 */
import { observeOn, of, timer, type SchedulerAction } from 'rxjs';
import { Caller } from '../../schedulers/Caller';
import { Pending } from '../../lib/Pending';
import { setZone, zonesInUse } from '../../lib/internal/zones';
import { within } from '../helpers/within';

/** A zone that only knows its name and how to run a function in itself; counts its runs. */
class StandInZone {
  runs = 0;
  constructor(readonly name: string) {}

  run<R>(fn: (...args: never[]) => R, applyThis?: unknown, applyArgs?: unknown[]): R {
    this.runs++;
    const outer = current;
    current = this;
    try {
      return fn.apply(applyThis, (applyArgs ?? []) as never[]);
    } finally {
      current = outer;
    }
  }
}

const root = new StandInZone('root');
let current = root;
const zoneA = new StandInZone('A');
const zoneB = new StandInZone('B');
const zoneW = new StandInZone('W');
const here = (): string => current.name;

beforeAll(() => {
  (globalThis as { Zone?: unknown }).Zone = {
    get current() {
      return current;
    },
  };
});

afterAll(() => {
  delete (globalThis as { Zone?: unknown }).Zone;
});

describe('zones (a stand-in Zone global, in this process)', () => {
  let caller: Caller;
  beforeEach(() => {
    caller = new Caller({ name: 'zoned' });
  });
  afterEach(async () => {
    await within(caller.stop(), 'stopped');
  });

  it('should run calls queued in one tick from two zones each in its own zone, not the zone that drains the batch', async () => {
    const seen: string[] = [];
    const a = zoneA.run(() => caller.callSoon(() => seen.push(`a:${here()}`)));
    const b = zoneB.run(() => caller.callSoon(() => seen.push(`b:${here()}`)));
    await within(Promise.all([a, b]));
    expect(seen).toEqual(['a:A', 'b:B']);
    expect(zonesInUse()).toBe(true);
  });

  it('should run callDirect and callLater in the zone they were made in', async () => {
    const seen: string[] = [];
    zoneB.run(() => caller.callSoon(() => undefined)); // the batch is started from B
    zoneA.run(() => caller.callDirect(() => seen.push(`direct:${here()}`)));
    await within(zoneA.run(() => caller.callLater(5, () => seen.push(`later:${here()}`))));
    expect(seen).toEqual(['direct:A', 'later:A']);
  });

  it('should deliver observeOn(caller) and timer(caller) values in the zone of the subscription', async () => {
    const seen: string[] = [];
    zoneB.run(() => caller.callSoon(() => undefined));
    await within(new Promise<void>((resolve) => zoneA.run(() => of(1, 2).pipe(observeOn(caller)).subscribe({ next: (v) => seen.push(`${v}:${here()}`), complete: resolve }))));
    await within(new Promise<void>((resolve) => zoneA.run(() => timer(5, caller).subscribe({ next: () => seen.push(`timer:${here()}`), complete: resolve }))));
    expect(seen).toEqual(['1:A', '2:A', 'timer:A']);
  });

  it('should run a scheduled action that reschedules itself with a delay in the zone it was scheduled in', async () => {
    const seen: string[] = [];
    await within(
      new Promise<void>((resolve) =>
        zoneA.run(() =>
          caller.schedule(function (this: SchedulerAction<number>, state?: number) {
            const n = state ?? 0;
            seen.push(`${n}:${here()}`);
            if (n < 2) this.schedule(n + 1, 5);
            else resolve();
          }),
        ),
      ),
    );
    expect(seen).toEqual(['0:A', '1:A', '2:A']);
  });

  it("should run a pending's subscribers and done callbacks in the zone they were added in, whoever settles it", () => {
    const pending = new Pending<number>();
    const seen: string[] = [];
    zoneA.run(() => pending.subscribe((v) => seen.push(`subscriber:${v}:${here()}`)));
    zoneB.run(() => pending.addDoneCallback(() => seen.push(`done:${here()}`)));
    zoneW.run(() => pending.setResult(1));
    expect(seen).toEqual(['subscriber:1:A', 'done:B']);
  });

  it("should run the calls of a caller given its own zone there, and settle them in the call's zone", async () => {
    setZone(caller, zoneW); // what rxjs-caller/angular does for zone: 'outside'
    const seen: string[] = [];
    const pending = zoneA.run(() => caller.callSoon(() => here()));
    zoneA.run(() => pending.subscribe((ranIn) => seen.push(`ran:${ranIn}`, `subscriber:${here()}`)));
    zoneA.run(() => pending._addPassiveCallback(() => seen.push(`settled:${here()}`)));
    await within(pending);
    expect(seen).toEqual(['ran:W', 'subscriber:A', 'settled:A']);
  });

  it("should settle a call nobody waits on without entering its zone, and enter it for a call someone waits on", async () => {
    setZone(caller, zoneW);
    const unwatched = zoneA.run(() => caller.callSoon(() => 1));
    const runsBefore = zoneA.runs;
    await within(caller.callSoon(() => undefined)); // the batch ran: `unwatched` settled in W, nobody waiting
    expect(unwatched.done).toBe(true);
    expect(zoneA.runs).toBe(runsBefore);

    const watched = zoneA.run(() => caller.callSoon(() => 2));
    const seen: string[] = [];
    zoneB.run(() => watched.addDoneCallback(() => seen.push(`done:${here()}`)));
    const runsWatched = zoneA.runs;
    await within(watched);
    expect(zoneA.runs).toBe(runsWatched + 1);
    expect(seen).toEqual(['done:B']);
  });

  it('should settle a call whose work returned a promise in the zone the call was made in', async () => {
    setZone(caller, zoneW);
    let finish!: (value: number) => void;
    const pending = zoneA.run(() => caller.callSoon(() => new Promise<number>((resolve) => (finish = resolve))));
    const seen: string[] = [];
    pending._addPassiveCallback(() => seen.push(`settled:${here()}`));
    pending.subscribe(() => undefined);
    await within(caller.callSoon(() => undefined));
    root.run(() => finish(3));
    await within(pending);
    expect(seen).toEqual(['settled:A']);
  });
});

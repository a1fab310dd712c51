/**
 * `caller.get({ thread })` / `get({ process })` over the registry of linked child kinds
 * (schedulers/internal/childCallers.ts), with an in-process stand-in kind in place of ThreadCaller: what
 * the kind is given, how an existing child of a name is found, and the messages when kinds differ. The real
 * thread and process children are tested with real workers in spec/schedulers/threads/.
 */
import { Pending } from '../../lib/Pending.js';
import { Caller } from '../../schedulers/Caller.js';
import type { ChildCaller } from '../../schedulers/CallerOptions.js';
import { registerLinkedChildKind } from '../../schedulers/internal/childCallers.js';
import { stopAllCallers, thrownBy } from '../helpers/callers.js';

/** A child that lives "elsewhere": just a name, a stopped pending and stop(). */
class StandIn implements ChildCaller {
  readonly stopped = new Pending<void>({ protect: true });
  constructor(
    readonly name: string,
    readonly options: object | undefined,
  ) {}
  stop(): Pending<void> {
    if (!this.stopped.done) this.stopped.setResult();
    return this.stopped;
  }
}

describe('Caller (linked child kinds)', () => {
  const made: { kind: string; parent: Caller; options: object | undefined }[] = [];
  beforeAll(() => {
    for (const kind of ['thread', 'process'] as const) {
      registerLinkedChildKind(kind, {
        create: (parent, name, options) => {
          made.push({ kind, parent, options });
          return new StandIn(name ?? `${kind}-child`, options);
        },
        is: (child) => child instanceof StandIn && made.some((m) => m.kind === kind && (child as StandIn).options === m.options),
      });
    }
  });
  afterEach(async () => {
    made.length = 0;
    await stopAllCallers();
  });

  it('should give the kind its options object, or none for `true`, and adopt the child', () => {
    const parent = new Caller();
    const threadOptions = { workerName: 'w' };
    const a = parent.get({ name: 'a', thread: threadOptions as never });
    const b = parent.get({ name: 'b', thread: true });
    const c = parent.get({ name: 'c', process: true });
    const processOptions = { execArgv: [] };
    const d = parent.get({ name: 'd', process: processOptions as never });
    expect(made.map((m) => [m.kind, m.parent === parent, m.options])).toEqual([
      ['thread', true, threadOptions],
      ['thread', true, undefined],
      ['process', true, undefined],
      ['process', true, processOptions],
    ]);
    expect([...parent.children]).toEqual([a, b, c, d]);
  });

  it('should return the existing linked child of that name, of the kind asked for', () => {
    const parent = new Caller();
    const child = parent.get({ name: 'w', thread: true });
    expect(parent.get({ name: 'w', thread: true })).toBe(child);
    const processChild = parent.get({ name: 'p', process: true });
    expect(parent.get({ name: 'p', process: true })).toBe(processChild);
    // A backend names how a same-thread child runs: a linked child of that name is returned as it is.
    expect(parent.get({ name: 'w', thread: true, backend: 'async' } as never)).toBe(child);
    expect(made).toHaveLength(2);
  });

  it('should refuse a same-thread get() of a name a linked child has, naming both', () => {
    const parent = new Caller({ name: 'p' });
    parent.get({ name: 'w', thread: true });
    expect(thrownBy(() => parent.get({ name: 'w' }))).toEqual(new TypeError("Child 'w' of caller 'p' is not a same-thread caller"));
    expect(parent.children.size).toBe(1);
  });

  it('should let a stopped linked child leave its parent, and stop it with its parent', async () => {
    const parent = new Caller();
    const gone = parent.get({ name: 'gone', thread: true }) as unknown as StandIn;
    const kept = parent.get({ name: 'kept', process: true }) as unknown as StandIn;
    gone.stop();
    await gone.stopped;
    expect([...parent.children]).toEqual([kept]);
    parent.stop();
    expect(kept.stopped.state).toBe('fulfilled');
  });
});

import * as fc from 'fast-check';
import type { Subscription } from 'rxjs';
import type { Pending } from '../../lib/Pending.js';
import { Caller } from '../../schedulers/Caller.js';
import { nextMacrotask, stopAllCallers } from '../helpers/callers.js';
import { within, SLOW_TEST_MS } from '../helpers/within.js';

/**
 * Random interleavings of calls, scheduled work, cancellations, unsubscriptions, event-loop turns and
 * stops on a caller and its child. Invariants: every pending settles exactly once, each caller runs its
 * queue in FIFO order, nothing cancelled or unsubscribed before it ran runs, and stop leaves nothing
 * unsettled and nothing running afterwards.
 */
type Op =
  | { kind: 'soon' | 'direct' | 'schedule' | 'async'; on: 0 | 1 }
  | { kind: 'cancel'; index: number }
  | { kind: 'unsubscribe'; index: number }
  | { kind: 'stop'; on: 0 | 1 }
  | { kind: 'tick' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('soon' as const, 'direct' as const, 'schedule' as const, 'async' as const), on: fc.constantFrom(0 as const, 1 as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('cancel' as const, 'unsubscribe' as const), index: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stop' as const), on: fc.constantFrom(0 as const, 1 as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'tick' as const }) },
);

interface Item {
  id: number;
  on: 0 | 1;
  pending?: Pending<unknown>;
  action?: Subscription;
  settled: number;
  started: boolean;
  /** Cancelled or unsubscribed while it had not started: it must never start. */
  droppedBeforeStart: boolean;
}

describe('Caller (property)', () => {
  let grace: number;
  beforeAll(() => {
    grace = Caller.CANCEL_GRACE;
    Caller.CANCEL_GRACE = 3; // async work below ignores its signal half the time
  });
  afterAll(() => {
    Caller.CANCEL_GRACE = grace;
  });
  afterEach(stopAllCallers);

  it('should settle every pending exactly once, keep FIFO per caller, and leave nothing unsettled after stop', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary, { maxLength: 40 }), fc.boolean(), async (ops, stopAtEnd) => {
        const parent = new Caller({ name: 'parent' });
        const callers = [parent, parent.get({ name: 'child' })] as const;
        const items: Item[] = [];
        const started: number[][] = [[], []];
        const startedAfterStop: number[] = [];
        const stoppedWhen: (number | undefined)[] = [undefined, undefined];
        // When a caller's `stopped` settles, every call it (or, for the parent, its child) made has settled.
        const unsettledAtStop: number[] = [];
        callers.forEach((caller, on) =>
          caller.stopped.addDoneCallback(() => {
            for (const item of items) if ((item.on === on || on === 0) && item.pending !== undefined && !item.pending.done) unsettledAtStop.push(item.id);
          }),
        );
        const start = (item: Item) => {
          item.started = true;
          started[item.on]!.push(item.id);
          if (callers[item.on].state !== 'running') startedAfterStop.push(item.id);
        };

        for (const op of ops) {
          if (op.kind === 'tick') {
            await nextMacrotask();
          } else if (op.kind === 'stop') {
            callers[op.on].stop();
            stoppedWhen[op.on] ??= items.length;
          } else if (op.kind === 'cancel' || op.kind === 'unsubscribe') {
            const item = items[op.index % Math.max(1, items.length)];
            if (item === undefined) continue;
            if (op.kind === 'cancel' && item.pending !== undefined) {
              if (!item.started) item.droppedBeforeStart = true;
              item.pending.cancel('property');
            } else if (op.kind === 'unsubscribe' && item.action !== undefined) {
              if (!item.started) item.droppedBeforeStart = true;
              item.action.unsubscribe();
            }
          } else {
            const caller = callers[op.on];
            const item: Item = { id: items.length, on: op.on, settled: 0, started: false, droppedBeforeStart: false };
            items.push(item);
            const stopping = caller.state !== 'running';
            if (op.kind === 'soon') {
              item.pending = caller.callSoon(() => start(item));
            } else if (op.kind === 'async') {
              item.pending = caller.callSoon(async () => {
                start(item);
                const signal = Caller.currentPending()!.signal;
                const honours = item.id % 2 === 0;
                await new Promise((resolve) => {
                  setTimeout(resolve, 1 + (item.id % 4));
                  if (honours) signal.addEventListener('abort', resolve);
                });
              });
            } else if (op.kind === 'schedule') {
              item.action = caller.schedule(() => start(item));
            } else if (stopping) {
              expect(() => caller.callDirect(() => start(item))).toThrow();
              item.droppedBeforeStart = true;
            } else {
              caller.callDirect(() => start(item));
            }
            if (item.pending !== undefined) {
              if (stopping) expect(item.pending.state).toBe('cancelled');
              item.pending.addDoneCallback(() => item.settled++);
            }
            if (stopping) item.droppedBeforeStart = true;
          }
        }

        if (stopAtEnd) parent.stop();
        await Promise.all(items.map((item) => item.pending?.then(undefined, () => undefined)));
        if (stopAtEnd) await parent.stopped;
        await nextMacrotask();

        for (const item of items) {
          if (item.pending !== undefined) {
            expect(item.pending.done).toBe(true);
            expect(item.settled).toBe(1);
          }
          if (item.droppedBeforeStart) expect(item.started).toBe(false);
        }
        for (const order of started) expect(order).toEqual([...order].sort((a, b) => a - b));
        expect(startedAfterStop).toEqual([]);
        expect(unsettledAtStop).toEqual([]);
        if (stopAtEnd) {
          expect(callers.map((c) => c.state)).toEqual(['stopped', 'stopped']);
        } else {
          // Everything neither dropped nor on a caller that was stopped (the child stops with its parent) ran.
          const everStopped = (on: 0 | 1) => stoppedWhen[on] !== undefined || (on === 1 && stoppedWhen[0] !== undefined);
          for (const item of items) if (!item.droppedBeforeStart && !everStopped(item.on)) expect([item.id, item.started]).toEqual([item.id, true]);
        }
        parent.stop();
        await within(parent.stopped);
      }),
      { numRuns: 100 },
    );
  }, SLOW_TEST_MS);
});

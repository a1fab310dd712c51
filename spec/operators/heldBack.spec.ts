/**
 * Members held back by a concurrency bound (gather's `concurrency`, asCompleted's `maxConcurrent`):
 * pinned after mutation testing showed no test read these behaviours (see CONTRIBUTING.md).
 */
import { Subject, from } from 'rxjs';
import { PendingCancelled } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import { asCompleted } from '../../operators/asCompleted.js';
import { gather } from '../../operators/gather.js';
import { thrownBy } from '../helpers/outcomes.js';
import { takeReports } from '../helpers/reports.js';
import { SLOW_TEST_MS } from '../helpers/within.js';

/** A Pending fulfilled with `value`. */
function settledWith(value: number): Pending<number> {
  const pending = new Pending<number>();
  pending.setResult(value);
  return pending;
}

/** `n` unsettled Pendings. */
function pendings(n: number): Pending<number>[] {
  return Array.from({ length: n }, () => new Pending<number>());
}

describe('held-back members', () => {
  describe('gather', () => {
    it('should take 50 000 held-back members settled at once, at concurrency 1, without growing the stack', () => {
      const members = pendings(50_000);
      const seen: number[][] = [];
      let failure: unknown;
      from(members)
        .pipe(gather({ concurrency: 1 }))
        .subscribe({ next: (values) => seen.push(values), error: (error: unknown) => (failure = error) });
      // Every held-back member settles first; the running one last, which then starts them one by one.
      for (let i = members.length - 1; i >= 0; i--) members[i]!.setResult(i);
      expect(failure).toBeUndefined();
      expect(seen).toHaveLength(1);
      expect(seen[0]).toHaveLength(50_000);
      expect(seen[0]![49_999]).toBe(49_999);
    }, SLOW_TEST_MS);

    it('should count a held-back Pending as observed while it waits: its failure is gather’s, not reported', async () => {
      const [first, held] = pendings(2) as [Pending<number>, Pending<number>];
      let failure: unknown;
      from([first, held])
        .pipe(gather({ concurrency: 1 }))
        .subscribe({ error: (error: unknown) => (failure = error) });
      held.setException(new Error('held back'));
      expect(await takeReports()).toEqual([]);
      first.setResult(1);
      expect(failure).toEqual(new Error('held back'));
    });

    it('should never start, nor cancel, a held-back Pending when unsubscribed', () => {
      const [first, held] = pendings(2) as [Pending<number>, Pending<number>];
      from([first, held]).pipe(gather({ concurrency: 1 })).subscribe().unsubscribe();
      expect(thrownBy(() => first.result())).toEqual(new PendingCancelled(['gather stopped before this member settled']));
      expect(held.state).toBe('pending');
    });
  });

  describe('asCompleted', () => {
    it('should cancel held-back Pending members on unsubscribe, each with its reason', () => {
      const [first, held, later] = pendings(3) as [Pending<number>, Pending<number>, Pending<number>];
      from([first, held, later]).pipe(asCompleted({ maxConcurrent: 1 })).subscribe().unsubscribe();
      expect(thrownBy(() => first.result())).toEqual(new PendingCancelled(['asCompleted stopped before this member settled']));
      expect(thrownBy(() => held.result())).toEqual(new PendingCancelled(['asCompleted stopped before reaching this member']));
      expect(later.state).toBe('cancelled');
    });

    it('should leave held-back members alone on unsubscribe with cancelUnfinished: false', () => {
      const [first, held] = pendings(2) as [Pending<number>, Pending<number>];
      from([first, held]).pipe(asCompleted({ maxConcurrent: 1, cancelUnfinished: false })).subscribe().unsubscribe();
      expect([first.state, held.state]).toEqual(['pending', 'pending']);
    });

    it('should count a held-back Pending as observed while it waits, and emit it once reached', async () => {
      const [first, held] = pendings(2) as [Pending<number>, Pending<number>];
      const emitted: Pending<number>[] = [];
      from([first, held])
        .pipe(asCompleted({ maxConcurrent: 1 }))
        .subscribe((p) => emitted.push(p));
      held.setException(new Error('held back'));
      expect(await takeReports()).toEqual([]);
      first.setResult(1);
      expect(emitted).toEqual([first, held]);
    });

    it('should report a held-back member that fails after the output stopped (cancelUnfinished: false)', async () => {
      const [first, held] = pendings(2) as [Pending<number>, Pending<number>];
      from([first, held]).pipe(asCompleted({ maxConcurrent: 1, cancelUnfinished: false })).subscribe().unsubscribe();
      held.setException(new Error('late'));
      expect((await takeReports()).map((r) => [r.kind, r.error, r.pending === held])).toEqual([['unobserved', new Error('late'), true]]);
    });

    it('should not complete while held-back members wait, when a consumer settles a member during a pull', () => {
      const [a, b, c, d] = pendings(4) as [Pending<number>, Pending<number>, Pending<number>, Pending<number>];
      c.setResult(3);
      d.setResult(4);
      const emitted: Pending<number>[] = [];
      let completedAfter = -1;
      from([a, b, c, d])
        .pipe(asCompleted({ maxConcurrent: 2 }))
        .subscribe({
          next: (p) => {
            emitted.push(p);
            // Taking c (already settled) from the held-back queue: b settles while d still waits.
            if (p === c) b.setResult(2);
          },
          complete: () => (completedAfter = emitted.length),
        });
      a.setResult(1);
      // d settled before b, and b's settlement is delivered after c's (settlement order, issue 8 defect 10).
      expect(emitted.map((p) => [a, b, c, d].indexOf(p))).toEqual([0, 2, 3, 1]);
      expect(completedAfter).toBe(4);
    });

    it('should complete only once the held-back members have been emitted', () => {
      const source = new Subject<Pending<number>>();
      const [first, held] = pendings(2) as [Pending<number>, Pending<number>];
      let completed = false;
      source.pipe(asCompleted({ maxConcurrent: 1 })).subscribe({ complete: () => (completed = true) });
      source.next(first);
      source.next(held);
      source.complete();
      first.setResult(1);
      expect(completed).toBe(false);
      held.setResult(2);
      expect(completed).toBe(true);
    });

    it('should take 50 000 settled held-back members, at maxConcurrent 1, without growing the stack', () => {
      const first = new Pending<number>();
      const held = Array.from({ length: 50_000 }, (_, i) => settledWith(i));
      let emitted = 0;
      let completed = false;
      from([first, ...held])
        .pipe(asCompleted({ maxConcurrent: 1 }))
        .subscribe({ next: () => emitted++, complete: () => (completed = true) });
      first.setResult(-1);
      expect(emitted).toBe(50_001);
      expect(completed).toBe(true);
    }, SLOW_TEST_MS);

    it('should keep source order for a member arriving while others wait, and complete after them, when the consumer acts during an emission', () => {
      const source = new Subject<Pending<number>>();
      const first = new Pending<number>();
      const held = settledWith(2);
      const extra = settledWith(3);
      const emitted: Pending<number>[] = [];
      let completedAfter = -1;
      source.pipe(asCompleted({ maxConcurrent: 1 })).subscribe({
        next: (p) => {
          emitted.push(p);
          if (p !== first) return;
          // Between first's emission and the pull that takes held: a free slot, and held still waiting.
          source.next(extra);
          source.complete();
        },
        complete: () => (completedAfter = emitted.length),
      });
      source.next(first);
      source.next(held);
      first.setResult(1);
      expect(emitted).toEqual([first, held, extra]);
      expect(completedAfter).toBe(3);
    });
  });
});

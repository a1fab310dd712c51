/**
 * asCompleted's bookkeeping, pinned when it was made lighter for speed (issue 11: one passive callback
 * shared by every member, a plain list of the members waited on, thrown away now and then, and members
 * bridged without `Pending.from`'s checks): a member given twice, what stopping early undoes, what the
 * list lets go of, and how each kind of member becomes the Pending emitted for it.
 */
import { Subject, from, lastValueFrom, of, toArray } from 'rxjs';
import { PendingCancelled } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import type { Awaitable } from '../../lib/types.js';
import { asCompleted } from '../../operators/asCompleted.js';
import { collectUntil } from '../helpers/callers.js';
import { thrownBy } from '../helpers/outcomes.js';
import { takeReports } from '../helpers/reports.js';

/** What each emitted Pending holds: its value, or its error's message. */
const outcomes = (emitted: Pending<unknown>[]) => emitted.map((p) => (p.state === 'fulfilled' ? p.result() : (p.exception() as Error).message));

/** The done callbacks and subscribers a Pending still holds. */
const listenersOf = (pending: Pending<unknown>) => (pending._listeners === undefined ? [] : [pending._listeners].flat());

describe('asCompleted (details)', () => {
  describe('a member given twice', () => {
    it('should emit it twice, and complete only after both', () => {
      const twice = new Pending<number>();
      const emitted: Pending<number>[] = [];
      let completed = false;
      from([twice, twice])
        .pipe(asCompleted())
        .subscribe({ next: (p) => emitted.push(p), complete: () => (completed = true) });
      expect(completed).toBe(false);
      twice.setResult(1);
      expect(emitted).toEqual([twice, twice]);
      expect(completed).toBe(true);
    });

    it('should count it twice against maxConcurrent', () => {
      const twice = new Pending<number>();
      const third = jest.fn(() => Promise.resolve(3));
      from<Awaitable<number>[]>([twice, twice, third]).pipe(asCompleted({ maxConcurrent: 2 })).subscribe();
      expect(third).not.toHaveBeenCalled();
      twice.setResult(1);
      expect(third).toHaveBeenCalledTimes(1);
    });

    it('should take every callback of it off on unsubscribe, starting no held-back member while it is cancelled', () => {
      const twice = new Pending<number>();
      const held = jest.fn(() => Promise.resolve(3));
      from<Awaitable<number>[]>([twice, twice, held]).pipe(asCompleted({ maxConcurrent: 2 })).subscribe().unsubscribe();
      expect(held).not.toHaveBeenCalled();
      expect(listenersOf(twice)).toEqual([]);
      // Cancelled once for each time it was taken, as each taking asked.
      expect(thrownBy(() => twice.result())).toEqual(new PendingCancelled(['asCompleted stopped before this member settled']));
    });

    it('should leave it unobserved once stopped with cancelUnfinished: false, so a later failure is reported', async () => {
      const twice = new Pending<number>();
      from([twice, twice]).pipe(asCompleted({ cancelUnfinished: false })).subscribe().unsubscribe();
      expect(listenersOf(twice)).toEqual([]);
      twice.setException(new Error('late'));
      expect((await takeReports()).map((r) => [r.kind, r.error, r.pending === twice])).toEqual([['unobserved', new Error('late'), true]]);
    });
  });

  describe('the members it waits on', () => {
    it('should let go of a member once it is emitted, while the output stays open', async () => {
      const source = new Subject<Awaitable<number>>();
      // A FinalizationRegistry rather than a WeakRef: under jest a WeakRef's target is kept alive here.
      let collected = false;
      const registry = new FinalizationRegistry(() => (collected = true));
      let emitted = 0;
      const subscription = source.pipe(asCompleted()).subscribe((p) => {
        if (emitted++ === 0) registry.register(p, undefined);
      });
      // Taken one at a time, each settled before the next comes: far more than the list ever needs to keep.
      for (let i = 0; i < 40; i++) {
        source.next(() => Promise.resolve(i));
        await Promise.resolve();
        await Promise.resolve();
      }
      expect(emitted).toBe(40);
      expect(await collectUntil(() => collected)).toBe(true);
      subscription.unsubscribe();
    });

    it('should still cancel the members running on unsubscribe after many have come and gone', async () => {
      const source = new Subject<Awaitable<number>>();
      const emitted: Pending<number>[] = [];
      const subscription = source.pipe(asCompleted()).subscribe((p) => emitted.push(p));
      const running = new Pending<number>();
      source.next(running);
      for (let i = 0; i < 40; i++) {
        source.next(() => Promise.resolve(i));
        await Promise.resolve();
        await Promise.resolve();
      }
      const last = new Pending<number>();
      source.next(last);
      subscription.unsubscribe();
      expect(emitted).toHaveLength(40);
      expect([running.state, last.state]).toEqual(['cancelled', 'cancelled']);
    });

    it('should take its callback off a member settled during another settlement when stopped before that one’s turn', async () => {
      const [a, b] = [new Pending<number>(), new Pending<number>()];
      const emitted: Pending<number>[] = [];
      let subscription: { unsubscribe(): void } | undefined;
      // Added before asCompleted's own, so it runs first: b settles inside a's settlement (its callbacks
      // wait their turn), and the output stops before asCompleted's callbacks on either have run.
      a.addDoneCallback(() => {
        b.setException(new Error('b'));
        subscription!.unsubscribe();
      });
      subscription = from([a, b])
        .pipe(asCompleted())
        .subscribe((p) => emitted.push(p));
      a.setResult(1);
      expect(emitted).toEqual([]);
      // Nobody was handed b: its failure is reported (a callback left on it would have marked it observed).
      expect((await takeReports()).map((r) => [r.kind, r.error, r.pending === b])).toEqual([['unobserved', new Error('b'), true]]);
    });
  });

  describe('each kind of member', () => {
    it('should emit a Pending for each kind a member can be, with its outcome', async () => {
      const failing = () => {
        throw new Error('thunk threw');
      };
      const pending = new Pending<number>();
      pending.setResult(5);
      const members: Awaitable<number>[] = [
        Promise.resolve(1),
        () => Promise.resolve(2),
        () => Promise.reject(new Error('thunk rejected')),
        of(3),
        () => of(4),
        () => pending,
        failing,
      ];
      const emitted = await lastValueFrom(from(members).pipe(asCompleted({ maxConcurrent: 1 }), toArray()));
      expect(outcomes(emitted)).toEqual([1, 2, 'thunk rejected', 3, 4, 5, 'thunk threw']);
      expect(emitted[5]).toBe(pending);
    });

    it('should fail a member that is no ObservableInput, and a thunk that returns none, each naming what it got', async () => {
      const members = [5, () => 6] as unknown as Awaitable<number>[];
      const emitted = await lastValueFrom(from(members).pipe(asCompleted(), toArray()));
      expect(emitted.map((p) => p.exception())).toEqual([
        new TypeError('Expected each member to be a Pending, an ObservableInput or a function returning one, got `5` (number)'),
        new TypeError('Expected a member function to return an ObservableInput (Observable, Promise, iterable…), got `6` (number)'),
      ]);
    });

    it("should take what a thunk returns as the member's input, never as a second thunk, as Pending.from(thunk) does", async () => {
      // A function can be an ObservableInput itself (here a thenable function): adopted, not called.
      const thenable = Object.assign(jest.fn(() => 'called as a thunk'), {
        then: (resolve: (value: string) => void) => resolve('adopted'),
      });
      const members = [() => thenable] as unknown as Awaitable<string>[];
      const emitted = await lastValueFrom(from(members).pipe(asCompleted(), toArray()));
      expect(outcomes(emitted)).toEqual(['adopted']);
      expect(thenable).not.toHaveBeenCalled();
      await expect(Pending.from(() => thenable as unknown as PromiseLike<string>)).resolves.toBe('adopted');
    });

    it('should cancel a wrapped promise member on unsubscribe, its late outcome then ignored', async () => {
      let resolve!: (value: number) => void;
      const promise = new Promise<number>((r) => (resolve = r));
      const emitted: Pending<number>[] = [];
      from([promise])
        .pipe(asCompleted())
        .subscribe((p) => emitted.push(p))
        .unsubscribe();
      resolve(1);
      await promise;
      expect(emitted).toEqual([]);
    });
  });
});

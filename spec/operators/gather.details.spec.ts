/**
 * gather() behaviours mutation testing showed no other test pinned (see CONTRIBUTING.md): once it has
 * stopped it lets go of every member, so a member settling later reaches nothing of it; promise members
 * taken together (a synchronous source's) or one by one give the same outcome.
 */
import { Observable, Subject, config as rxjsConfig, firstValueFrom, from, map, of } from 'rxjs';
import { Pending } from '../../lib/Pending.js';
import { gather } from '../../operators/gather.js';
import { takeReports } from '../helpers/reports.js';
import { outcomeOf } from '../helpers/within.js';

/** A promise and the functions that settle it. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets rxjs's timers (a stopped notification is reported from one) and pending promise jobs run. */
const aMacrotask = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('gather (details)', () => {
  const onStopped = rxjsConfig.onStoppedNotification;
  afterEach(() => {
    rxjsConfig.onStoppedNotification = onStopped;
  });

  it('should let go of its members when unsubscribed: a protected member failing later reaches nothing of it', async () => {
    const late = jest.fn();
    rxjsConfig.onStoppedNotification = late;
    const kept = new Pending<number>({ protect: true });
    const errors: unknown[] = [];
    from([kept])
      .pipe(gather())
      .subscribe({ error: (error: unknown) => errors.push(error) })
      .unsubscribe();
    expect(kept._listeners).toBeUndefined();
    kept.setException(new Error('later'));
    // RxJS reports a notification to a stopped subscriber from a timer.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(late).not.toHaveBeenCalled();
    expect(errors).toEqual([]);
    // gather observed it while it waited: the failure is not reported as unobserved.
    expect(await takeReports()).toEqual([]);
  });

  describe('promise members', () => {
    it('should error with a promise member that rejects when taken on its own (under a concurrency limit)', async () => {
      const error = new Error('no');
      expect(await outcomeOf(firstValueFrom(from([Promise.reject(error)]).pipe(gather({ concurrency: 1 }))))).toEqual({ error });
    });

    it('should error with the first rejection of a synchronous source, without waiting for the other promises', async () => {
      const error = new Error('first');
      const never = new Promise<number>(() => undefined);
      expect(await outcomeOf(firstValueFrom(from([never, Promise.reject(error)]).pipe(gather())))).toEqual({ error });
    });

    it('should take promises from the synchronous part of a source and later ones together, in source order', async () => {
      const source = new Observable<Promise<number>>((subscriber) => {
        subscriber.next(Promise.resolve(1));
        subscriber.next(Promise.resolve(2));
        const timer = setTimeout(() => {
          subscriber.next(Promise.resolve(3));
          subscriber.next(Promise.resolve(4));
          subscriber.complete();
        }, 1);
        return () => clearTimeout(timer);
      });
      // A copy made as it is emitted: what the array held then, whatever happens to it afterwards.
      const emitted = firstValueFrom(source.pipe(gather(), map((values) => [...values])));
      expect(await outcomeOf(emitted)).toEqual({ value: [1, 2, 3, 4] });
    });

    it('should take the Observable members of a synchronous source as Observables, beside its promises', async () => {
      const members = [of('a'), Promise.resolve('b'), of('c')];
      expect(await outcomeOf(firstValueFrom(from(members).pipe(gather())))).toEqual({ value: ['a', 'b', 'c'] });
    });

    it('should not look at a held-back promise before it is reached: its failure errors the output only then', async () => {
      const first = deferred<number>();
      const error = new Error('held back');
      const held = Promise.reject(error);
      held.catch(() => undefined);
      const errors: unknown[] = [];
      from([first.promise, held])
        .pipe(gather({ concurrency: 1 }))
        .subscribe({ error: (e: unknown) => errors.push(e) });
      await aMacrotask();
      expect(errors).toEqual([]);
      first.resolve(1);
      await aMacrotask();
      expect(errors).toEqual([error]);
    });

    it('should let a promise member failing after the output errored reach nobody, not even onStoppedNotification', async () => {
      const late = jest.fn();
      rxjsConfig.onStoppedNotification = late;
      const source = new Subject<Promise<number>>();
      const [a, b] = [deferred<number>(), deferred<number>()];
      const errors: unknown[] = [];
      source.pipe(gather()).subscribe({ error: (e: unknown) => errors.push(e) });
      source.next(a.promise);
      source.next(b.promise);
      a.reject(new Error('a'));
      await aMacrotask();
      b.reject(new Error('b'));
      await aMacrotask();
      expect(errors).toEqual([new Error('a')]);
      expect(late).not.toHaveBeenCalled();
    });

    it('should fail with what a hostile member throws when asked what it is (a Proxy whose getPrototypeOf throws)', async () => {
      const hostile = new Proxy(
        {},
        {
          getPrototypeOf() {
            throw new Error('hostile');
          },
        },
      );
      const outcome = await outcomeOf(firstValueFrom(from([hostile as Promise<never>]).pipe(gather())));
      expect(outcome).toEqual({ error: new Error('hostile') });
    });
  });
});

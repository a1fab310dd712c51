/**
 * Type contracts of the operators, the Caller combinators and PendingGroup, checked by
 * `npm run typecheck` (tsc over spec/); never run by jest. Each `@ts-expect-error` line is a wrong use
 * that must stay a compile error.
 */
import { from, of, type Observable } from 'rxjs';
import {
  Caller,
  Pending,
  PendingGroup,
  asCompleted,
  gather,
  wait,
  type Awaitable,
  type GatherOptions,
  type ReturnWhen,
  type WaitResult,
} from '../../index.js';
import * as operators from '../../operators/index.js';

/** True when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
export function assertType<T extends true>(): T | void {}

export function awaitableAcceptsEachInputKind(): void {
  const pending: Awaitable<number> = new Pending<number>();
  const observable: Awaitable<number> = of(1);
  const promise: Awaitable<number> = Promise.resolve(1);
  const array: Awaitable<number> = [1, 2];
  const thunk: Awaitable<number> = () => of(1);
  const thunkOfPending: Awaitable<number> = () => new Pending<number>();
  // @ts-expect-error a Pending<string> is no Awaitable<number>
  const wrongPending: Awaitable<number> = new Pending<string>();
  // @ts-expect-error a thunk must return an ObservableInput, not a bare value
  const wrongThunk: Awaitable<number> = () => 1;
  // @ts-expect-error a bare value is not awaitable
  const bare: Awaitable<number> = 1;
  void [pending, observable, promise, array, thunk, thunkOfPending, wrongPending, wrongThunk, bare];
}

export function gatherInfersItsTypes(): void {
  const fromPendings = of(new Pending<number>(), new Pending<number>()).pipe(gather());
  assertType<Equal<typeof fromPendings, Observable<number[]>>>();
  // A source mixing value types needs the type argument: inference from two input kinds gives up.
  const mixed = of(new Pending<number>(), of('a')).pipe(gather<number | string>());
  assertType<Equal<typeof mixed, Observable<(number | string)[]>>>();
  const thunks = from([() => of(1), () => Promise.resolve(2)]).pipe(gather({ concurrency: 2 }));
  assertType<Equal<typeof thunks, Observable<number[]>>>();
  const withExceptions = of(new Pending<number>()).pipe(gather({ returnExceptions: true }));
  assertType<Equal<typeof withExceptions, Observable<(number | Error)[]>>>();
  const options: GatherOptions = { returnExceptions: false };
  const fromOptions = of(new Pending<number>()).pipe(gather(options));
  assertType<Equal<typeof fromOptions, Observable<(number | Error)[]>>>();
  // @ts-expect-error concurrency is a number
  gather({ concurrency: '2' });
  // @ts-expect-error no such option
  gather({ timeout: 5 });
  // @ts-expect-error the source must be of Awaitables
  of(1, 2).pipe(gather());
}

export function asCompletedInfersItsTypes(): void {
  const settled = of(new Pending<number>(), of(2)).pipe(asCompleted({ maxConcurrent: 1, cancelUnfinished: false }));
  assertType<Equal<typeof settled, Observable<Pending<number>>>>();
  // @ts-expect-error cancelUnfinished is a boolean
  asCompleted({ cancelUnfinished: 'no' });
  // @ts-expect-error the source must be of Awaitables
  of(true).pipe(asCompleted());
}

export function waitInfersItsTypes(): void {
  const waited = of(new Pending<string>()).pipe(wait({ timeout: 10, returnWhen: 'FIRST_COMPLETED' }));
  assertType<Equal<typeof waited, Observable<WaitResult<string>>>>();
  waited.subscribe(({ done, pending }) => {
    assertType<Equal<typeof done, Set<Pending<string>>>>();
    assertType<Equal<typeof pending, Set<Pending<string>>>>();
  });
  const returnWhen: ReturnWhen = 'FIRST_EXCEPTION';
  wait({ returnWhen });
  // @ts-expect-error returnWhen is one of three names
  wait({ returnWhen: 'ANY' });
  // @ts-expect-error timeout is a number
  wait({ timeout: '10' });
}

export function operatorsEntryMatchesRoot(): void {
  assertType<Equal<typeof operators.gather, typeof gather>>();
  assertType<Equal<typeof operators.asCompleted, typeof asCompleted>>();
  assertType<Equal<typeof operators.wait, typeof wait>>();
}

export async function callerCombinatorsInferTheirTypes(caller: Caller): Promise<void> {
  const gathered = caller.gather([caller.callSoon(() => 1), () => caller.callSoon(() => 2)]);
  assertType<Equal<typeof gathered, Pending<number[]>>>();
  const values = await gathered;
  assertType<Equal<typeof values, number[]>>();
  const waited = caller.wait([caller.callSoon(() => 'a')], { timeout: 5 });
  assertType<Equal<typeof waited, Pending<WaitResult<string>>>>();
  const iterator = caller.asCompleted([caller.callSoon(() => true)], { maxConcurrent: 2 });
  assertType<Equal<typeof iterator, AsyncIterableIterator<Pending<boolean>>>>();
  const first = await iterator.next();
  if (!first.done) assertType<Equal<typeof first.value, Pending<boolean>>>();
  async function* thunks() {
    yield () => caller.callSoon(() => 1);
  }
  const fromThunks = caller.asCompleted(thunks());
  assertType<Equal<typeof fromThunks, AsyncIterableIterator<Pending<number>>>>();
  // TypeScript types a `for await` element as awaited: a Pending is a thenable, so this is `boolean`
  // although the element is the settled Pending itself (see the README).
  for await (const element of caller.asCompleted([caller.callSoon(() => true)])) assertType<Equal<typeof element, boolean>>();
  // @ts-expect-error items must be iterable
  caller.gather(caller.callSoon(() => 1));
  // @ts-expect-error wait takes no concurrency
  caller.wait([], { concurrency: 1 });
}

export async function pendingGroupTypes(caller: Caller): Promise<void> {
  const group: PendingGroup = caller.createPendingGroup({ mode: 1, shield: true, timeout: 100 });
  const result = group.run(async () => 42);
  assertType<Equal<typeof result, Pending<number>>>();
  const sync = new PendingGroup().run((g) => {
    assertType<Equal<typeof g, PendingGroup>>();
    return 'x';
  });
  assertType<Equal<typeof sync, Pending<string>>>();
  await using disposable = new PendingGroup();
  disposable.add(new Pending<number>());
  // @ts-expect-error mode is 0-3
  caller.createPendingGroup({ mode: 4 });
  // @ts-expect-error add takes a Pending
  group.add(Promise.resolve(1));
}

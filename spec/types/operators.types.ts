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
  type CallerState,
  type GatherOptions,
  type ReturnWhen,
  type Settled,
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
  // A source mixing member kinds and value types gives the union of the values, inferred from the source…
  const mixed = of<Awaitable<number> | Promise<string> | (() => Observable<boolean>)>(new Pending<number>()).pipe(gather());
  assertType<Equal<typeof mixed, Observable<(number | string | boolean)[]>>>();
  const mixedInferred = of(new Pending<number>(), of('a')).pipe(gather());
  assertType<Equal<typeof mixedInferred, Observable<(number | string)[]>>>();
  // …and an explicit type argument still names the value type.
  const named = of(new Pending<number>(), of('a')).pipe(gather<number | string>());
  assertType<Equal<typeof named, Observable<(number | string)[]>>>();
  // @ts-expect-error the named value type must fit the source
  of(new Pending<number>(), of('a')).pipe(gather<number>());
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

export async function callerGatherIsTypedPositionByPosition(caller: Caller): Promise<void> {
  // A mix of kinds, as the README advertises: a call, a promise, a thunk of an Observable.
  const mix = caller.gather([caller.callSoon(() => 1), Promise.resolve('a'), () => of(true)]);
  assertType<Equal<typeof mix, Pending<[number, string, boolean]>>>();
  const [n, s, b] = await mix;
  assertType<Equal<[typeof n, typeof s, typeof b], [number, string, boolean]>>();
  const same = caller.gather([caller.callSoon(() => 1), () => caller.callSoon(() => 2)]);
  assertType<Equal<typeof same, Pending<[number, number]>>>();
  const empty = caller.gather([]);
  assertType<Equal<typeof empty, Pending<[]>>>();
  const withExceptions = caller.gather([caller.callSoon(() => 1), of('x')], { returnExceptions: true });
  assertType<Equal<typeof withExceptions, Pending<[number | Error, string | Error]>>>();
  // An array (not a literal) gives an array; any other iterable gives T[].
  const list: Pending<number>[] = [];
  const fromArray = caller.gather(list);
  assertType<Equal<typeof fromArray, Pending<number[]>>>();
  const fromSet = caller.gather(new Set([caller.callSoon(() => 'a')]));
  assertType<Equal<typeof fromSet, Pending<string[]>>>();
  const named = caller.gather<number>(new Set([of(1)]), { returnExceptions: true });
  assertType<Equal<typeof named, Pending<(number | Error)[]>>>();
  // @ts-expect-error a tuple result is not an array of one type
  const wrong: Pending<number[]> = mix;
  // @ts-expect-error a bare value is no member
  caller.gather([caller.callSoon(() => 1), 2]);
  void wrong;
}

export async function callerAsCompletedYieldsSettledRecords(caller: Caller): Promise<void> {
  const iterator = caller.asCompleted([caller.callSoon(() => true)], { maxConcurrent: 2 });
  assertType<Equal<typeof iterator, AsyncIterableIterator<Settled<boolean>>>>();
  const first = await iterator.next();
  if (!first.done) assertType<Equal<typeof first.value, Settled<boolean>>>();
  async function* thunks() {
    yield () => caller.callSoon(() => 1);
  }
  const fromThunks = caller.asCompleted(thunks());
  assertType<Equal<typeof fromThunks, AsyncIterableIterator<Settled<number>>>>();
  // The loop variable is typed as what it is: a record, not a thenable, so `for await` leaves it alone.
  for await (const settled of caller.asCompleted([caller.callSoon(() => true), Promise.resolve(false)])) {
    assertType<Equal<typeof settled, Settled<boolean>>>();
    assertType<Equal<typeof settled.pending, Pending<boolean>>>();
    if (settled.status === 'fulfilled') assertType<Equal<typeof settled.value, boolean>>();
    else assertType<Equal<typeof settled.reason, unknown>>();
    // @ts-expect-error `value` exists only once `status` says fulfilled
    void settled.value;
    // @ts-expect-error a record is not a thenable
    void settled.then;
  }
}

export async function callerCombinatorsInferTheirTypes(caller: Caller): Promise<void> {
  const waited = caller.wait([caller.callSoon(() => 'a')], { timeout: 5 });
  assertType<Equal<typeof waited, Pending<WaitResult<string>>>>();
  // @ts-expect-error items must be iterable
  caller.gather(caller.callSoon(() => 1));
  // @ts-expect-error wait takes no concurrency
  caller.wait([], { concurrency: 1 });
}

export async function stopReturnsTheStoppedPending(caller: Caller): Promise<void> {
  const stopping = caller.stop();
  assertType<Equal<typeof stopping, Pending<void>>>();
  const done: void = await caller.stop({ force: true });
  // @ts-expect-error stop() no longer returns a state
  const state: CallerState = caller.stop();
  void [done, state];
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

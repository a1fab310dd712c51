/**
 * Type contracts of Pending, checked by `npm run typecheck` (tsc over spec/); never run by jest.
 * Each `@ts-expect-error` line is a wrong use that must stay a compile error.
 */
import { EMPTY, from, of, type Observable, type ObservableInput } from 'rxjs';
import { Pending, type PendingState } from '../../index.js';

/** True when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
export function assertType<T extends true>(): T | void {}

export function isPromiseLike(): void {
  const p = new Pending<number>();
  const promiseLike: PromiseLike<number> = p;
  const observable: Observable<number> = p;
  const input: ObservableInput<number> = p;
  // @ts-expect-error a Pending<number> is no PromiseLike<string>
  const wrong: PromiseLike<string> = p;
  // @ts-expect-error nor an ObservableInput<string>
  const wrongInput: ObservableInput<string> = p;
  void [promiseLike, observable, input, wrong, wrongInput];
}

export async function awaitsToItsType(): Promise<void> {
  const value = await new Pending<number>();
  assertType<Equal<typeof value, number>>();
  assertType<Equal<Awaited<Pending<{ a: string }>>, { a: string }>>();
  const waited = await new Pending<string>().wait({ timeout: 10 });
  assertType<Equal<typeof waited, string>>();
  const then = new Pending<number>().then((v) => String(v));
  assertType<Equal<typeof then, Promise<string>>>();
}

export function isCovariant(): void {
  const widened: Pending<number | string> = new Pending<number>();
  const unknownPending: Pending<unknown> = new Pending<{ a: 1 }>();
  // @ts-expect-error a Pending<number | string> is no Pending<number>
  const narrowed: Pending<number> = new Pending<number | string>();
  void [widened, unknownPending, narrowed];
}

export function fromInfers(): void {
  const fromObservable = Pending.from(of(1));
  assertType<Equal<typeof fromObservable, Pending<number>>>();
  const fromThunk = Pending.from(() => of('a', 'b'));
  assertType<Equal<typeof fromThunk, Pending<string>>>();
  const fromPromise = Pending.from(Promise.resolve(true));
  assertType<Equal<typeof fromPromise, Pending<boolean>>>();
  const fromArray = Pending.from([1, 2, 3]);
  assertType<Equal<typeof fromArray, Pending<number>>>();
  const fromPending = Pending.from(new Pending<Date>());
  assertType<Equal<typeof fromPending, Pending<Date>>>();
  const withDefault = Pending.from(from([1]), { defaultValue: 0, protect: true });
  assertType<Equal<typeof withDefault, Pending<number>>>();
  const emptyWithDefault = Pending.from<number>(EMPTY, { defaultValue: 0 });
  assertType<Equal<typeof emptyWithDefault, Pending<number>>>();
}

export function readsItsState(p: Pending<number>): void {
  assertType<Equal<typeof p.state, PendingState>>();
  assertType<Equal<PendingState, 'pending' | 'cancelling' | 'fulfilled' | 'rejected' | 'cancelled'>>();
  assertType<Equal<ReturnType<typeof p.result>, number>>();
  assertType<Equal<ReturnType<typeof p.setResult>, boolean>>();
  assertType<Equal<ReturnType<typeof p.cancel>, boolean>>();
  assertType<Equal<ReturnType<typeof p.removeDoneCallback>, number>>();
  assertType<Equal<typeof p.signal, AbortSignal>>();
  assertType<Equal<typeof p.metadata, Record<string, unknown>>>();
  p.addDoneCallback((q) => assertType<Equal<typeof q, Pending<number>>>());
}

export function rejectsWrongUses(p: Pending<number>): void {
  // @ts-expect-error setResult with the wrong type
  p.setResult('one');
  // @ts-expect-error setResult needs a value
  p.setResult();
  p.setException('any value can be an error');
  // @ts-expect-error defaultValue of the wrong type
  Pending.from(of(1), { defaultValue: 'zero' });
  // @ts-expect-error not an ObservableInput
  Pending.from(42);
  // @ts-expect-error a thunk must return an ObservableInput
  Pending.from(() => 42);
  // @ts-expect-error a canceller is a function
  p.setCanceller('stop');
  // @ts-expect-error a reason is a string
  p.cancel(1);
  // @ts-expect-error a timeout is a number of ms
  void p.wait({ timeout: '1s' });
  // @ts-expect-error unknown option
  void p.wait({ timeOut: 1 });
  // @ts-expect-error metadata is an object
  new Pending({ metadata: 'fn' });
  // @ts-expect-error signal is an AbortSignal
  new Pending({ signal: true });
  // @ts-expect-error a done callback receives a Pending<number>, not a string
  p.addDoneCallback((q: string) => q);
  // @ts-expect-error state is read-only
  p.state = 'fulfilled';
  // @ts-expect-error done is read-only
  p.done = true;
}

import type { ObservableInput, ObservedValueOf, SchedulerLike } from 'rxjs';
import type { Pending } from './Pending.js';

/**
 * Anything the combinators accept as a member: a {@link Pending} (used as it is), any RxJS
 * `ObservableInput` (Observable, Promise, iterable, async iterable…; its **last** value is the result), or
 * a function returning one — a *thunk*, called only when the combinator gets to it, so it can be held back
 * by a concurrency limit.
 */
export type Awaitable<T> = Pending<T> | ObservableInput<T> | (() => ObservableInput<T>);

/**
 * The value an {@link Awaitable} settles with: `T` for a `Pending<T>`, an `ObservableInput<T>` or a thunk
 * returning one. Distributes over unions, so a source of mixed members gives the union of their values.
 */
export type AwaitableValue<A> = A extends () => infer R ? ObservedValueOf<R> : ObservedValueOf<A>;

/**
 * What `caller.gather(items)` settles with for an array or tuple of members: each member replaced by its
 * value, position by position (`[Pending<number>, Promise<string>]` gives `[number, string]`), as
 * `Promise.all` types it. `E` is what a place may hold instead (`Error`, with `returnExceptions`).
 */
export type Gathered<I extends readonly unknown[], E = never> = { -readonly [K in keyof I]: AwaitableValue<I[K]> | E };

/**
 * One member of `caller.asCompleted()` once it has settled: `Promise.allSettled`'s record plus the member
 * itself. A cancelled member is `'rejected'` with its `PendingCancelled`. Not a thenable, so
 * `for await (const settled of caller.asCompleted(xs))` is typed as what it is.
 */
export type Settled<T> = ({ readonly status: 'fulfilled'; readonly value: T } | { readonly status: 'rejected'; readonly reason: unknown }) & {
  /** The settled member (the Pending passed in, or the one wrapping the input). */
  readonly pending: Pending<T>;
};

/** What `wait` returns: the members that had settled, and those still running, when it returned. */
export interface WaitResult<T> {
  /** Members that had settled (fulfilled, rejected or cancelled). */
  done: Set<Pending<T>>;
  /** Members still running; `wait` never cancels them. */
  pending: Set<Pending<T>>;
}

/** When `wait` returns, as in Python's `asyncio.wait`. */
export type ReturnWhen = 'ALL_COMPLETED' | 'FIRST_COMPLETED' | 'FIRST_EXCEPTION';

/** Options of `gather`. */
export interface GatherOptions {
  /**
   * Put each failure (an error, or a `PendingCancelled`) in the result array in place of a value,
   * instead of failing the gather.
   * @default false
   */
  returnExceptions?: boolean;
  /**
   * How many members run at once. Members beyond it wait in source order: a thunk is not called, an
   * Observable not subscribed, until a slot frees. Members still waiting never start after a failure or
   * an unsubscribe.
   * @default Infinity
   */
  concurrency?: number;
}

/** Options of `asCompleted`. */
export interface AsCompletedOptions {
  /**
   * How many members run at once; the source is taken (pulled, for iterables) as slots free.
   * @default Infinity
   */
  maxConcurrent?: number;
  /**
   * When the consumer stops early (unsubscribe, `break`, an error), cancel every member that has not
   * settled — passed-in Pendings included. With `false` they keep running.
   * @default true
   */
  cancelUnfinished?: boolean;
}

/** Options of `wait`. */
export interface WaitOptions {
  /**
   * Return after this many ms, counted from subscription, with whatever has settled by then. It never
   * throws and never cancels. `0` returns at once.
   * @default Infinity
   */
  timeout?: number;
  /** When to return. @default 'ALL_COMPLETED' */
  returnWhen?: ReturnWhen;
  /**
   * The scheduler that times `timeout` (virtual inside `TestScheduler.run()`). `caller.wait` uses the caller.
   * @default asyncScheduler
   */
  scheduler?: SchedulerLike;
}

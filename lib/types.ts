import type { ObservableInput, SchedulerLike } from 'rxjs';
import type { Pending } from './Pending.js';

/**
 * Anything the combinators accept as a member: a {@link Pending} (used as it is), any RxJS
 * `ObservableInput` (Observable, Promise, iterable, async iterable…; its **last** value is the result), or
 * a function returning one — a *thunk*, called only when the combinator gets to it, so it can be held back
 * by a concurrency limit.
 */
export type Awaitable<T> = Pending<T> | ObservableInput<T> | (() => ObservableInput<T>);

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

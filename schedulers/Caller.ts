import { noop, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { CallerStoppedError } from '../lib/errors.js';
import { Pending } from '../lib/Pending.js';
import { currentFrame } from '../lib/internal/context.js';
import { joinCurrentGroup } from '../lib/internal/membership.js';
import { threadState } from '../lib/internal/threadState.js';
import { expectBoolean, expectDuration, expectFunction, expectOptionsObject, got } from '../lib/internal/validate.js';
import type { PendingGroup } from '../lib/PendingGroup.js';
import type { Awaitable, Gathered, GatherOptions, ReturnWhen, Settled, WaitResult } from '../lib/types.js';
import type { CallerOptions, ScheduleCallOptions } from './CallerOptions.js';
import { resolveBackend, type Backend } from './internal/backends.js';
import { CallerAction } from './internal/CallerAction.js';
import { CallPending } from './internal/CallPending.js';
import { CallerCore, poolSettings, RUNNING, STOPPING } from './internal/CallerCore.js';
import { getChild } from './internal/childCallers.js';
import { callerAsCompleted, callerCreatePendingGroup, callerGather, callerWait } from './internal/combinators.js';
import { FunctionQueues } from './internal/FunctionQueues.js';
import { DirectCall } from './internal/queueItems.js';
import { runOnThread } from './internal/threadCalls.js';
import type { ProcessCaller } from './ProcessCaller.js';
import type { ProcessOptions } from './threads/ProcessOptions.js';
import type { ThreadCaller } from './ThreadCaller.js';
import type { ThreadOptions } from './threads/ThreadOptions.js';
import type { Cloned } from './threads/Cloned.js';
import type { ThreadTask } from './threads/threadTask.js';
import { rememberZone } from '../lib/internal/zones.js';
import { isBranded } from '../lib/internal/brand.js';

export type { Backend } from './internal/backends.js';
export type { CallerState, CallerOptions, ScheduleCallOptions, ChildCaller } from './CallerOptions.js';

type AnyFunction = (...args: never[]) => unknown;

/**
 * Zero-delay actions scheduled behind this many queued items are not chained to the subscriber that
 * adds them (see CallerAction): it keeps bursts linear, while ordinary use keeps RxJS's exact semantics.
 */
const UNCHAINED_AFTER = 64;

/**
 * A named execution context with a lifecycle, one ordered run queue, children and worker threads; and an
 * RxJS `SchedulerLike`, so `observeOn(caller)`, `subscribeOn(caller)`, `timer(10, caller)` and
 * `delay(5, caller)` work — in virtual time too, inside `TestScheduler.run()`.
 *
 * `callSoon`, `callDirect` and zero-delay `schedule` share one FIFO queue, drained in batches (one backend
 * tick per batch) that yield to the host event loop every few milliseconds. Calls run with
 * `Caller.current()` === this caller and `Caller.currentPending()` === their pending (across `await`s in
 * Node). Errors thrown by one call reject its pending and never reach other work.
 *
 * @example
 * import { Caller } from 'rxjs-caller';
 * import { range, observeOn } from 'rxjs';
 * const ui = new Caller({ name: 'ui' });
 * range(0, 3).pipe(observeOn(ui)).subscribe((v) => console.log(v, Caller.current().name)); // 'ui'
 * const answer = await ui.callSoon((a: number, b: number) => a + b, 40, 2); // 42
 */
export class Caller extends CallerCore implements SchedulerLike {
  /** @internal `instanceof` across the ESM and CJS builds (lib/internal/brand.ts). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(this, value);
  }
  /** @internal */
  get __rxjsCaller(): string {
    return 'Caller';
  }
  readonly backend: Backend;

  /**
   * @param options `name`, `backend` (default `'asap'`) and `protected`.
   * @throws TypeError when an option has the wrong type.
   */
  constructor(options?: CallerOptions) {
    expectOptionsObject('options', options);
    const { name, backend = 'asap', protected: isProtected = false } = options ?? {};
    if (name !== undefined && typeof name !== 'string') throw new TypeError(`Expected \`options.name\` to be a string, got ${got(name)}`);
    expectBoolean('options.protected', isProtected);
    const scheduler = resolveBackend('options.backend', backend);
    super(name, isProtected, scheduler);
    this.backend = backend;
    threadState.callers.set(this.id, this);
    // The first caller keeps one idle call and one action for the thread (see `hotShapes` below).
    // Stryker disable next-line AssignmentOperator,ArrayDeclaration,BooleanLiteral: keeps V8's hidden classes alive, a speed effect (bench/), never a behaviour
    hotShapes ??= [new CallPending<unknown>({}, noop, []), new CallerAction<unknown>({} as Caller, noop, false)];
    this._state = RUNNING;
    this.started.setResult();
  }

  /** This thread's caller: the one running the current work, else the thread's default caller (made on first use). */
  static current(): Caller {
    // A frame may have no caller (a PendingGroup body run outside any call): the thread's default then.
    return (currentFrame()?.caller as Caller | undefined) ?? defaultCaller();
  }

  /** The main thread's caller: inside a worker, a handle to it; on the main thread, `Caller.current()`'s default. */
  static main(): Caller {
    return (threadState.mainCaller as Caller | undefined) ?? defaultCaller();
  }

  /** The pending whose work is running now, if any. */
  static currentPending(): Pending<unknown> | undefined {
    return currentFrame()?.pending;
  }

  /** The live caller of this thread with that id. */
  static getExisting(id: number): Caller | undefined {
    if (typeof id !== 'number') throw new TypeError(`Expected \`id\` to be a number, got ${got(id)}`);
    return threadState.callers.get(id) as Caller | undefined;
  }

  /** Every caller of this thread not yet stopped (only `running` ones with `runningOnly`). */
  static all(options?: { runningOnly?: boolean }): Caller[] {
    expectOptionsObject('options', options);
    expectBoolean('options.runningOnly', options?.runningOnly);
    const all = [...threadState.callers.values()] as Caller[];
    return options?.runningOnly ? all.filter((c) => c.running) : all;
  }

  get parent(): Caller | undefined {
    return this._parent as Caller | undefined;
  }

  /** SchedulerLike: the backend's clock (virtual inside `TestScheduler.run()`). */
  now(): number {
    return this._scheduler.now();
  }

  /**
   * SchedulerLike: runs `work` on this caller after `delay` ms (0: on the ordered queue). Returns the
   * action that is `this` inside `work`; `this.schedule(state, delay)` re-runs it; unsubscribing cancels.
   * Like RxJS's schedulers it never throws on a number: negative counts as 0, NaN or Infinity means never
   * (a delay that is not a number at all is a TypeError).
   */
  schedule<S>(work: (this: SchedulerAction<S>, state?: S) => void, delay = 0, state?: S): Subscription {
    expectFunction('work', work);
    if (typeof delay !== 'number') throw new TypeError(`Expected \`delay\` to be a number of milliseconds, got ${got(delay)}`);
    const zeroDelay = !(delay > 0) && delay === delay;
    const action = new CallerAction<S>(this, work, zeroDelay && this._queue.length >= UNCHAINED_AFTER, state);
    if (this._state >= STOPPING) {
      action.unsubscribe();
      return action;
    }
    return action.schedule(state, delay);
  }

  /**
   * Queues `fn(...args)` on this caller (never run synchronously in the calling frame).
   * @returns the call's pending: `fn`'s value (awaited if a promise), or its error.
   * @throws TypeError when `fn` is not a function.
   */
  callSoon<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Pending<Awaited<R>> {
    expectFunction('fn', fn);
    return this._call(fn, args, undefined, true, undefined, 0);
  }

  /**
   * Runs `fn(...args)` on this caller `delay` ms from now (timed by the backend). `Infinity` means never:
   * the call waits until it is cancelled (or the caller stops).
   * @throws RangeError when `delay` is negative or NaN; TypeError when `fn` is not a function.
   */
  callLater<A extends unknown[], R>(delay: number, fn: (...args: A) => R, ...args: A): Pending<Awaited<R>> {
    expectDuration('delay', delay, true);
    expectFunction('fn', fn);
    return this._call(fn, args, undefined, true, this._scheduler, delay);
  }

  /**
   * Queues a tiny `fn(...args)` with no pending; its errors are reported.
   * @throws TypeError when `fn` is not a function; CallerStoppedError when the caller is stopping or stopped.
   */
  callDirect<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    expectFunction('fn', fn);
    if (this._state >= STOPPING) throw new CallerStoppedError(`Caller '${this.name}' is ${this.state}: callDirect was refused`);
    this._enqueue(new DirectCall(fn as AnyFunction, args));
  }

  /**
   * The general form of `callSoon`: `options.metadata` is stored on the pending, `track: false` keeps
   * the call out of the current PendingGroup, `backend` runs it through another scheduler.
   * @throws TypeError when `fn` is not a function or `args` not an array.
   */
  scheduleCall<A extends unknown[], R>(fn: (...args: A) => R, args: A, options?: ScheduleCallOptions): Pending<Awaited<R>> {
    expectFunction('fn', fn);
    if (!Array.isArray(args)) throw new TypeError(`Expected \`args\` to be an array, got ${got(args)}`);
    expectOptionsObject('options', options);
    const metadata = options?.metadata;
    if (metadata !== undefined && (metadata === null || typeof metadata !== 'object')) throw new TypeError(`Expected \`options.metadata\` to be an object, got ${got(metadata)}`);
    const track = options?.track;
    expectBoolean('options.track', track);
    const scheduler = options?.backend === undefined ? undefined : resolveBackend('options.backend', options.backend);
    return this._call(fn, args, metadata, track ?? true, scheduler, 0);
  }

  /** Runs `fn(...args)` on this caller, timed by `backend` instead of the caller's queue. */
  callUsingBackend<A extends unknown[], R>(backend: Backend, fn: (...args: A) => R, ...args: A): Pending<Awaited<R>> {
    expectFunction('fn', fn);
    return this._call(fn, args, undefined, true, resolveBackend('backend', backend), 0);
  }

  /**
   * Queues `fn(...args)` behind earlier `queueCall`s of the same `fn`: they run strictly one at a time, in
   * order, on one long-lived task; errors are reported and the queue goes on.
   * @throws TypeError when `fn` is not a function; CallerStoppedError when the caller is stopping or stopped.
   */
  queueCall<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    expectFunction('fn', fn);
    if (this._state >= STOPPING) throw new CallerStoppedError(`Caller '${this.name}' is ${this.state}: queueCall was refused`);
    (this._functionQueues ??= new FunctionQueues((run, queue) => this._call(run, [queue], undefined, false, undefined, 0))).add(fn as AnyFunction, args);
  }

  /** The long-lived task of `fn`'s queue, or undefined if it has none (or it closed). */
  queueGet(fn: Function): Pending<void> | undefined {
    expectFunction('fn', fn);
    return this._functionQueues?.task(fn as AnyFunction);
  }

  /** Closes `fn`'s queue: calls not yet started are dropped and its task is cancelled. */
  queueClose(fn: Function): void {
    expectFunction('fn', fn);
    this._functionQueues?.closeFunction(fn as AnyFunction);
  }

  /**
   * Runs `task(...args)` on a pool of worker threads owned by this caller (at most the machine's
   * parallelism busy at once; extra calls queue in order). `task` is a {@link ThreadTask} from
   * `threadTask`/`threadModule`, or a self-contained function sent as source. Arguments and the result are
   * structured-cloned (`transfer()` moves Transferables). Cancelling the pending aborts the task's
   * `Caller.currentPending()!.signal` inside the worker; a worker still busy `Caller.CANCEL_GRACE` ms later
   * is terminated and replaced. A crashed worker rejects its calls with `WorkerCrashedError`.
   * @throws TypeError when `task` is neither a ThreadTask nor a self-contained function; Error when the app's
   *   bundle left the thread pool out (import `threadTask`/`threadModule`, or `'rxjs-caller/schedulers'`).
   */
  toThread<A extends unknown[], R>(task: ThreadTask<A, R> | ((...args: A) => R), ...args: A): Pending<Cloned<Awaited<R>>> {
    const pending = new CallPending<Cloned<Awaited<R>>>(this, task, args);
    if (this._state >= STOPPING) {
      pending.cancel(`caller '${this.name}' is ${this.state}`);
      return pending;
    }
    joinCurrentGroup(pending as Pending<unknown>);
    rememberZone(pending);
    runOnThread(this, poolSettings, task, args, pending as Pending<unknown>);
    return pending;
  }

  /**
   * A child caller: on this thread, with `thread` a {@link ThreadCaller} living in its own worker, or
   * with `process` a {@link ProcessCaller} living in its own child process (Node). With a `name`, the
   * existing child of that name is returned.
   * @throws TypeError when the existing child of that name is of another kind or has another backend;
   *   CallerStoppedError when this caller is stopping or stopped; Error when `ThreadCaller` (`ProcessCaller`)
   *   is not in the app's bundle (import it, or `'rxjs-caller/schedulers'`).
   */
  get(options?: { name?: string; backend?: Backend }): Caller;
  get(options: { name?: string; thread: true | ThreadOptions }): ThreadCaller;
  get(options: { name?: string; process: true | ProcessOptions }): ProcessCaller;
  get(options?: { name?: string; backend?: Backend; thread?: true | ThreadOptions; process?: true | ProcessOptions }): Caller | ThreadCaller | ProcessCaller {
    return getChild(this, options, makeChild) as Caller | ThreadCaller | ProcessCaller;
  }

  // combinators (issue 4)

  /**
   * An async iterator over `items` yielding a {@link Settled} record for each member, in the order they
   * settle (the `asCompleted` operator): `{ status: 'fulfilled', value, pending }` or
   * `{ status: 'rejected', reason, pending }`, a cancelled member being rejected with `PendingCancelled`. `items` is pulled lazily: at most `maxConcurrent` members are out at once.
   * A `break` (`return()`) cancels every unfinished member unless `cancelUnfinished: false`; an error
   * thrown by `items` ends the iteration with that error; iterating over the pending you run in throws
   * `DeadlockError`. An async generator cannot yield a Pending itself (`yield` awaits it): yield thunks.
   * @throws TypeError when `items` is not iterable or an option is bad.
   */
  asCompleted<T>(
    items: Iterable<Awaitable<T>> | AsyncIterable<Awaitable<T>>,
    options?: { maxConcurrent?: number; cancelUnfinished?: boolean },
  ): AsyncIterableIterator<Settled<T>> {
    return callerAsCompleted(this, items, options);
  }

  /**
   * Waits for `items` (the `wait` operator) and settles with `{ done, pending }`; the timeout is timed by
   * this caller's backend, never throws and never cancels.
   * @throws TypeError or RangeError when `items` is not iterable or an option is bad.
   */
  wait<T>(items: Iterable<Awaitable<T>>, options?: { timeout?: number; returnWhen?: ReturnWhen }): Pending<WaitResult<T>> {
    return callerWait(this, items, options);
  }

  /**
   * The results of `items` in order (the `gather` operator): rejects with the first failure, cancelling
   * the members it alone observes; `concurrency` bounds how many run at once. An array literal of mixed
   * members is typed position by position, as `Promise.all` is: `[Pending<number>, Promise<string>]` gives
   * `Pending<[number, string]>`; with `returnExceptions: true` each place may hold an `Error` instead.
   * @throws TypeError or RangeError when `items` is not iterable or an option is bad.
   */
  gather<I extends readonly Awaitable<unknown>[] | []>(items: I, options?: GatherOptions & { returnExceptions?: false }): Pending<Gathered<I>>;
  gather<I extends readonly Awaitable<unknown>[] | []>(items: I, options: GatherOptions & { returnExceptions: true }): Pending<Gathered<I, Error>>;
  gather<T>(items: Iterable<Awaitable<T>>, options?: GatherOptions & { returnExceptions?: false }): Pending<T[]>;
  gather<T>(items: Iterable<Awaitable<T>>, options?: GatherOptions): Pending<(T | Error)[]>;
  gather(items: Iterable<Awaitable<unknown>>, options?: GatherOptions): Pending<unknown[]> {
    return callerGather(this, items, options);
  }

  /**
   * A new {@link PendingGroup}; its `timeout` is timed by this caller's backend, and a body run outside
   * any call sees `Caller.current()` === this caller.
   * @throws TypeError or RangeError when an option is bad.
   */
  createPendingGroup(options?: { mode?: 0 | 1 | 2 | 3; shield?: boolean; timeout?: number }): PendingGroup {
    return callerCreatePendingGroup(this, options);
  }

}

/**
 * V8 holds the hidden classes ("maps") an object passes through as its constructor sets its fields only
 * weakly. When a full GC finds no live call or action — every call settled, a burst over — those maps die,
 * and each optimized function that embeds them (then, settle, runQueued, the constructors…) is thrown
 * away ("embedded weak objects cleared" in `--trace-deopt`): the next calls run unoptimized until V8
 * optimizes them again, measured at ~3x the time per call after each such GC. One idle object of each hot
 * shape, kept for the thread's lifetime (holding no user data), keeps those maps; a pending's shape is the
 * same unsettled or settled (the Pending constructor sets every field).
 */
let hotShapes: readonly object[] | undefined;

/** The thread's default caller: protected, made on first use (again if it was force-stopped). */
function defaultCaller(): Caller {
  let caller = threadState.defaultCaller as Caller | undefined;
  if (caller === undefined || caller.stopping.done) {
    caller = new Caller({ name: 'main', protected: true });
    threadState.defaultCaller = caller;
  }
  return caller;
}

function makeChild(name: string | undefined, backend: Backend): Caller {
  return new Caller({ name, backend });
}

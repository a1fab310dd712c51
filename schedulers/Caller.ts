import { animationFrameScheduler, asapScheduler, asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { CallerStoppedError } from '../lib/errors.js';
import { Pending } from '../lib/Pending.js';
import { isAbandoned } from '../lib/internal/abandoned.js';
import { asyncDisposeSymbol } from '../lib/internal/asyncDispose.js';
import { currentFrame, runInFrame } from '../lib/internal/context.js';
import { joinCurrentGroup } from '../lib/internal/membership.js';
import { reportError } from '../lib/internal/report.js';
import { RingQueue } from '../lib/internal/RingQueue.js';
import { MAX_TIMER_DELAY, scheduleTimeout } from '../lib/internal/scheduleTimeout.js';
import { threadState, type Frame } from '../lib/internal/threadState.js';
import { expectDuration, expectFunction, expectOptionsObject, got } from '../lib/internal/validate.js';
import { isVirtualTime, resolveBackend, yieldSchedulerFor, type Backend } from './internal/backends.js';
import { CallerAction } from './internal/CallerAction.js';
import { CallPending } from './internal/CallPending.js';
import { DirectCall, cancelQueued, fireDelayedCall, runQueued, type QueueItem } from './internal/queueItems.js';
import { FunctionQueues } from './internal/FunctionQueues.js';
import { ThreadCaller } from './ThreadCaller.js';
import { ProcessCaller } from './ProcessCaller.js';
import type { ProcessOptions } from './threads/ProcessOptions.js';
import { ThreadPool } from './threads/ThreadPool.js';
import type { ThreadOptions } from './threads/ThreadOptions.js';
import type { ThreadTask } from './threads/threadTask.js';
import { callerAsCompleted, callerCreatePendingGroup, callerGather, callerWait } from './internal/combinators.js';
import type { PendingGroup } from '../lib/PendingGroup.js';
import type { Awaitable, GatherOptions, ReturnWhen, WaitResult } from '../lib/types.js';

export type { Backend } from './internal/backends.js';

/** The life of a caller; it only moves forward. */
export type CallerState = 'initial' | 'running' | 'stopping' | 'stopped';

/** Options of `new Caller()`. */
export interface CallerOptions {
  /** Shown by `toString()` and used by `parent.get({ name })`. @default `caller-<id>` */
  name?: string;
  /** Where the caller's time comes from. @default 'asap' */
  backend?: Backend;
  /** `stop()` is a no-op unless called with `{ force: true }`. @default false */
  protected?: boolean;
}

/** Options of `caller.scheduleCall()`. */
export interface ScheduleCallOptions {
  /** Extra metadata stored on the call's pending (beside `fn`, `args`, `caller`). */
  metadata?: Record<string, unknown>;
  /** Whether the call joins the current PendingGroup. @default true */
  track?: boolean;
  /** Run this call through another backend (one timer for this call) instead of the caller's queue. */
  backend?: Backend;
}

type AnyFunction = (...args: never[]) => unknown;

/** Children are same-thread callers or callers on other threads; both stop with their parent. */
export interface ChildCaller {
  readonly name: string;
  readonly stopped: Pending<void>;
  stop(options?: { force?: boolean }): CallerState;
}

const INITIAL = 0;
const RUNNING = 1;
const STOPPING = 2;
const STOPPED = 3;
const STATE_NAMES: readonly CallerState[] = ['initial', 'running', 'stopping', 'stopped'];
const STATE_MARKS = ['🌱', '🏃', '🛑', '🏁'];

/**
 * Zero-delay actions scheduled behind this many queued items are not chained to the subscriber that
 * adds them (see CallerAction): it keeps bursts linear, while ordinary use keeps RxJS's exact semantics.
 */
const UNCHAINED_AFTER = 64;
/** How long one drain may run (real ms) before yielding to the host event loop. */
const SLICE_MS = 5;
/** The clock is read once per this many items (a power of two, minus one, as a mask). */
const SLICE_CHECK_MASK = 127;

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
export class Caller implements SchedulerLike {
  /** Idle worker threads kept per pool. @default 10 */
  static MAX_IDLE_POOL_INSTANCES = 10;
  /** Idle worker threads are shut down after this many ms (0 disables). @default 60000 */
  static IDLE_WORKER_SHUTDOWN_DURATION = 60_000;
  /** A cancelled call whose work ignores its signal is settled `cancelled` after this many ms. @default 1000 */
  static CANCEL_GRACE = 1000;

  readonly id: number;
  readonly name: string;
  readonly backend: Backend;
  /** Settled when the caller started (at construction). */
  readonly started: Pending<void>;
  /** Settled when `stop()` began. */
  readonly stopping: Pending<void>;
  /** Settled once the caller, its children and every call it made have settled. */
  readonly stopped: Pending<void>;

  /** @internal the backend's scheduler: every tick, delay and now() goes through it */ readonly _scheduler: SchedulerLike;
  /** @internal the context frame of work that is not a call (scheduled actions) */ readonly _frame: Frame;
  private _state = INITIAL;
  private readonly _protected: boolean;
  private _parent: Caller | undefined;
  private readonly _children = new Set<ChildCaller>();
  private readonly _queue = new RingQueue<QueueItem>();
  private _drainScheduled = false;
  /** The backend action of the scheduled drain (none for the promise-job fast path). */
  private _drainAction: Subscription | undefined;
  private _drainRequestedAt = 0;
  /** Calls whose work returned a promise and has not settled. */
  private _running: Set<CallPending<unknown>> | undefined;
  /** Calls waiting on a timer (callLater, or another backend). */
  private _delayed: Set<CallPending<unknown>> | undefined;
  private _functionQueues: FunctionQueues | undefined;
  /** The worker threads of `toThread`, made on first use. */
  private _pool: ThreadPool | undefined;
  /** Teardowns `stopped` waits for besides calls and children (the thread pool's exit). */
  private _teardowns = 0;
  private readonly _onRunningDone = (pending: Pending<unknown>) => {
    this._running?.delete(pending as CallPending<unknown>);
    if (this._state === STOPPING) this._finishStop();
  };
  private readonly _onDelayedDone = (pending: Pending<unknown>) => {
    this._delayed?.delete(pending as CallPending<unknown>);
  };
  private readonly _drainNow = () => runInFrame(this._frame, drainInFrame, this);

  /**
   * @param options `name`, `backend` (default `'asap'`) and `protected`.
   * @throws TypeError when an option has the wrong type.
   */
  constructor(options?: CallerOptions) {
    expectOptionsObject('options', options);
    const { name, backend = 'asap', protected: isProtected = false } = options ?? {};
    if (name !== undefined && typeof name !== 'string') throw new TypeError(`Expected \`options.name\` to be a string, got ${got(name)}`);
    if (typeof isProtected !== 'boolean') throw new TypeError(`Expected \`options.protected\` to be a boolean, got ${got(isProtected)}`);
    this._scheduler = resolveBackend('options.backend', backend);
    this.id = threadState.nextCallerId++;
    this.name = name ?? `caller-${this.id}`;
    this.backend = backend;
    this._protected = isProtected;
    this._frame = { caller: this, pending: undefined };
    this.started = new Pending<void>({ protect: true });
    this.stopping = new Pending<void>({ protect: true });
    this.stopped = new Pending<void>({ protect: true });
    threadState.callers.set(this.id, this);
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
    return threadState.callers.get(id) as Caller | undefined;
  }

  /** Every caller of this thread not yet stopped (only `running` ones with `runningOnly`). */
  static all(options?: { runningOnly?: boolean }): Caller[] {
    const all = [...threadState.callers.values()] as Caller[];
    return options?.runningOnly ? all.filter((c) => c.running) : all;
  }

  get state(): CallerState {
    return STATE_NAMES[this._state]!;
  }

  get running(): boolean {
    return this._state === RUNNING;
  }

  get protected(): boolean {
    return this._protected;
  }

  get parent(): Caller | undefined {
    return this._parent;
  }

  get children(): ReadonlySet<ChildCaller> {
    return this._children;
  }

  /** SchedulerLike: the backend's clock (virtual inside `TestScheduler.run()`). */
  now(): number {
    return this._scheduler.now();
  }

  /**
   * SchedulerLike: runs `work` on this caller after `delay` ms (0: on the ordered queue). Returns the
   * action that is `this` inside `work`; `this.schedule(state, delay)` re-runs it; unsubscribing cancels.
   * Like RxJS's schedulers it never throws on its delay: negative counts as 0, NaN or Infinity means never.
   */
  schedule<S>(work: (this: SchedulerAction<S>, state?: S) => void, delay = 0, state?: S): Subscription {
    expectFunction('work', work);
    const zeroDelay = !(delay > 0) && delay === delay;
    const action = new CallerAction<S>(this, work, zeroDelay && this._queue.length >= UNCHAINED_AFTER);
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
   * Runs `fn(...args)` on this caller `delay` ms from now (timed by the backend).
   * @throws RangeError when `delay` is negative, NaN or infinite; TypeError when `fn` is not a function.
   */
  callLater<A extends unknown[], R>(delay: number, fn: (...args: A) => R, ...args: A): Pending<Awaited<R>> {
    expectDuration('delay', delay);
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
    const scheduler = options?.backend === undefined ? undefined : resolveBackend('options.backend', options.backend);
    return this._call(fn, args, options?.metadata, options?.track ?? true, scheduler, 0);
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
    return this._functionQueues?.task(fn as AnyFunction);
  }

  /** Closes `fn`'s queue: calls not yet started are dropped and its task is cancelled. */
  queueClose(fn: Function): void {
    this._functionQueues?.closeFunction(fn as AnyFunction);
  }

  /**
   * Runs `task(...args)` on a pool of worker threads owned by this caller (at most the machine's
   * parallelism busy at once; extra calls queue in order). `task` is a {@link ThreadTask} from
   * `threadTask`/`threadModule`, or a self-contained function sent as source. Arguments and the result are
   * structured-cloned (`transfer()` moves Transferables). Cancelling the pending aborts the task's
   * `Caller.currentPending()!.signal` inside the worker; a worker still busy `Caller.CANCEL_GRACE` ms later
   * is terminated and replaced. A crashed worker rejects its calls with `WorkerCrashedError`.
   * @throws TypeError when `task` is neither a ThreadTask nor a self-contained function.
   */
  toThread<A extends unknown[], R>(task: ThreadTask<A, R> | ((...args: A) => R), ...args: A): Pending<Awaited<R>> {
    const pending = new CallPending<Awaited<R>>(this, task, args);
    if (this._state >= STOPPING) {
      pending.cancel(`caller '${this.name}' is ${this.state}`);
      return pending;
    }
    joinCurrentGroup(pending as Pending<unknown>);
    this._pool ??= new ThreadPool({
      owner: this,
      maxIdle: () => Caller.MAX_IDLE_POOL_INSTANCES,
      idleTimeout: () => Caller.IDLE_WORKER_SHUTDOWN_DURATION,
      cancelGrace: () => Caller.CANCEL_GRACE,
    });
    this._pool.run(task, args, pending as Pending<unknown>);
    return pending;
  }

  /**
   * A child caller: on this thread, with `thread` a {@link ThreadCaller} living in its own worker, or
   * with `process` a {@link ProcessCaller} living in its own child process (Node). With a `name`, the
   * existing child of that name is returned.
   * @throws TypeError when the existing child of that name is of another kind or has another backend;
   *   CallerStoppedError when this caller is stopping or stopped.
   */
  get(options?: { name?: string; backend?: Backend }): Caller;
  get(options: { name?: string; thread: true | ThreadOptions }): ThreadCaller;
  get(options: { name?: string; process: true | ProcessOptions }): ProcessCaller;
  get(options?: { name?: string; backend?: Backend; thread?: true | ThreadOptions; process?: true | ProcessOptions }): Caller | ThreadCaller | ProcessCaller {
    expectOptionsObject('options', options);
    const name = options?.name;
    const thread = options?.thread;
    const proc = options?.process;
    if (proc !== undefined && proc !== true && (proc === null || typeof proc !== 'object')) {
      throw new TypeError(`Expected \`options.process\` to be true or a ProcessOptions object, got ${got(proc)}`);
    }
    if (proc !== undefined && thread !== undefined) throw new TypeError('Expected one of `options.thread` and `options.process`, got both');
    if (thread !== undefined && thread !== true && (thread === null || typeof thread !== 'object')) {
      throw new TypeError(`Expected \`options.thread\` to be true or a ThreadOptions object, got ${got(thread)}`);
    }
    if (name !== undefined) {
      for (const child of this._children) {
        if (child.name !== name) continue;
        if (proc !== undefined) {
          if (child instanceof ProcessCaller) return child;
          throw new TypeError(`Child '${name}' of caller '${this.name}' is not a process caller`);
        }
        if (thread !== undefined) {
          if (child instanceof ThreadCaller) return child;
          throw new TypeError(`Child '${name}' of caller '${this.name}' is not a thread caller`);
        }
        if (!(child instanceof Caller)) throw new TypeError(`Child '${name}' of caller '${this.name}' is not a same-thread caller`);
        if (options?.backend !== undefined && resolveBackend('options.backend', options.backend) !== child._scheduler) {
          throw new TypeError(`Child caller '${name}' exists with backend ${describeBackend(child.backend)}, not ${describeBackend(options.backend)}`);
        }
        return child;
      }
    }
    if (this._state >= STOPPING) throw new CallerStoppedError(`Caller '${this.name}' is ${this.state}: it makes no new children`);
    if (proc !== undefined) {
      const child = new ProcessCaller({ name: name ?? `process-${threadState.nextCallerId}`, parent: this, process: proc === true ? undefined : proc });
      this._adoptChild(child);
      return child;
    }
    if (thread !== undefined) {
      const child = new ThreadCaller({ name: name ?? `thread-${threadState.nextCallerId}`, parent: this, thread: thread === true ? undefined : thread });
      this._adoptChild(child);
      return child;
    }
    const child = new Caller({ name, backend: options?.backend ?? this.backend });
    this._adoptChild(child);
    return child;
  }

  // combinators (issue 4)

  /**
   * An async iterator over `items` yielding each member as a settled Pending, in the order they settle
   * (the `asCompleted` operator). `items` is pulled lazily: at most `maxConcurrent` members are out at once.
   * A `break` (`return()`) cancels every unfinished member unless `cancelUnfinished: false`; an error
   * thrown by `items` ends the iteration with that error; iterating over the pending you run in throws
   * `DeadlockError`. An async generator cannot yield a Pending itself (`yield` awaits it): yield thunks.
   * @throws TypeError when `items` is not iterable or an option is bad.
   */
  asCompleted<T>(
    items: Iterable<Awaitable<T>> | AsyncIterable<Awaitable<T>>,
    options?: { maxConcurrent?: number; cancelUnfinished?: boolean },
  ): AsyncIterableIterator<Pending<T>> {
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
   * the members it alone observes; `concurrency` bounds how many run at once.
   * @throws TypeError or RangeError when `items` is not iterable or an option is bad.
   */
  gather<T>(items: Iterable<Awaitable<T>>, options?: GatherOptions): Pending<T[]> {
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

  /**
   * Stops the caller: children first, then `queueCall` queues; queued and delayed calls are cancelled at
   * once, running ones are asked to cancel (and settled after `Caller.CANCEL_GRACE` if they ignore it).
   * `stopped` settles once every call has settled. A no-op on a protected caller unless `force`.
   * @returns the state after the call: `'stopping'` or `'stopped'` (or `'running'` if protected).
   */
  stop(options?: { force?: boolean }): CallerState {
    expectOptionsObject('options', options);
    if (this._state >= STOPPING || (this._protected && !options?.force)) return this.state;
    this._state = STOPPING;
    this.stopping.setResult();
    const reason = `caller '${this.name}' stopped`;
    for (const child of [...this._children]) child.stop({ force: true });
    this._functionQueues?.closeAll();
    for (let item = this._queue.shift(); item !== undefined; item = this._queue.shift()) cancelQueued(item, reason);
    if (this._delayed) for (const pending of [...this._delayed]) pending.cancel(reason);
    if (this._running) for (const pending of [...this._running]) pending.cancel(reason);
    if (this._pool !== undefined) {
      // No thread may outlive its caller: `stopped` waits until every worker has exited.
      this._teardowns++;
      void this._pool.close().then(() => {
        this._teardowns--;
        this._finishStop();
      });
    }
    // A call that stops its own caller from its synchronous part is running but tracked nowhere yet:
    // cancel it too, or `stopped` would settle before it.
    const current = currentFrame()?.pending;
    if (current instanceof CallPending && current._caller === this && !current.cancelled) current.cancel(reason);
    this._finishStop();
    return this.state;
  }

  /** `await using caller = new Caller()`: stops the caller (forced) and waits until it has stopped. */
  async [asyncDisposeSymbol](): Promise<void> {
    this.stop({ force: true });
    await this.stopped;
  }

  toString(): string {
    const n = this._children.size;
    return `<Caller ${STATE_MARKS[this._state]} ${this.state} name='${this.name}' id=${this.id}${n ? ` ${n} child${n === 1 ? '' : 'ren'}` : ''}>`;
  }

  /** @internal Adds a child that stops with this caller and leaves `children` when it has stopped. */
  _adoptChild(child: ChildCaller): void {
    if (child instanceof Caller) child._parent = this;
    this._children.add(child);
    child.stopped._addPassiveCallback(() => {
      this._children.delete(child);
      if (this._state === STOPPING) this._finishStop();
    });
  }

  /** @internal Makes a call's pending and starts it: on the queue, or on `scheduler` after `delay`. */
  _call<R>(fn: AnyFunction, args: readonly unknown[], metadata: Record<string, unknown> | undefined, track: boolean, scheduler: SchedulerLike | undefined, delay: number): Pending<R> {
    const pending = new CallPending<R>(this, fn, args, metadata);
    if (this._state >= STOPPING) {
      pending.cancel(`caller '${this.name}' is ${this.state}`);
      return pending;
    }
    if (track) joinCurrentGroup(pending as Pending<unknown>);
    if (scheduler === undefined) {
      this._enqueue(pending as CallPending<unknown>);
    } else {
      (this._delayed ??= new Set()).add(pending as CallPending<unknown>);
      // Beyond 2^31 - 1 ms a host timer fires at once: scheduleTimeout waits such delays in steps.
      const timer =
        delay <= MAX_TIMER_DELAY
          ? scheduler.schedule(fireDelayedAction, delay, pending as CallPending<unknown>)
          : scheduleTimeout(scheduler, delay, () => fireDelayedCall(pending as CallPending<unknown>));
      pending.setCanceller(() => {
        timer.unsubscribe();
        pending._settleCancelled();
      });
      pending._addPassiveCallback(this._onDelayedDone);
    }
    return pending;
  }

  /** @internal Puts an item on the queue and makes sure one drain is scheduled for it. */
  _enqueue(item: QueueItem): void {
    if (this._state >= STOPPING) {
      // Only an action rescheduling itself gets here once stopping (call methods check first).
      cancelQueued(item, `caller '${this.name}' is ${this.state}`);
      return;
    }
    this._queue.push(item);
    // A drain lost with a failed TestScheduler.run() must not leave the caller waiting forever.
    if (!this._drainScheduled || (this._drainAction !== undefined && isAbandoned(this._drainAction, this._drainRequestedAt))) {
      this._drainScheduled = true;
      if (this._scheduler === asapScheduler && !isVirtualTime()) {
        this._drainAction = undefined;
        resolved.then(this._drainNow);
      } else {
        try {
          this._drainRequestedAt = asyncScheduler.now();
          this._drainAction = this._scheduler.schedule(drainCaller, 0, this);
        } catch (error) {
          // The backend cannot tick here ('animationFrame' outside a browser or TestScheduler.run()):
          // report it, and let a later call try again rather than wait forever on a drain never scheduled.
          this._drainScheduled = false;
          reportError(error);
        }
      }
    }
  }

  /** @internal Runs a scheduled action's work, reporting what it throws. */
  _runWork(action: CallerAction<unknown>): void {
    // stop() cannot reach actions waiting on a backend timer, nor stop a work rescheduling itself:
    // they end here, so a stopped caller runs no more work (`interval(10, caller)` stops with it).
    if (this._state >= STOPPING) {
      action.unsubscribe();
      return;
    }
    try {
      action._work.call(action, action._state);
    } catch (error) {
      action.unsubscribe();
      reportError(error);
    }
  }

  /** @internal Awaits what a call's work returned, with cancellation carried to it. */
  _awaitResult(pending: CallPending<unknown>, result: PromiseLike<unknown>): void {
    (this._running ??= new Set()).add(pending);
    pending.setCanceller((reason) => {
      if (result instanceof Pending) result.cancel(reason);
      // Work that ignores its signal is settled after the grace period, so nothing waits forever.
      const grace = scheduleTimeout(this._scheduler, Caller.CANCEL_GRACE, () => pending._settleCancelled());
      pending._addPassiveCallback(() => grace.unsubscribe());
    });
    pending._addPassiveCallback(this._onRunningDone);
    result.then(
      (value) => pending.setResult(value),
      (error: unknown) => pending.setException(error),
    );
  }

  /** @internal One batch: runs queued items until the queue is empty or the time slice is used up. */
  _drain(): void {
    const queue = this._queue;
    const scheduler = this._scheduler;
    // On animation frames, work queued during a frame runs in the next one (an animation loop runs once
    // a frame), as with animationFrameScheduler; other backends drain what arrives meanwhile too.
    let budget = scheduler === animationFrameScheduler ? queue.length : Infinity;
    // The slice is timed from the first clock check, so a short batch never reads the clock.
    let start = -1;
    let count = 0;
    for (let item = budget-- > 0 ? queue.shift() : undefined; item !== undefined; item = budget-- > 0 ? queue.shift() : undefined) {
      runQueued(item);
      if ((++count & SLICE_CHECK_MASK) === 0 && queue.length > 0) {
        const now = scheduler.now();
        if (start < 0) start = now;
        else if (now - start >= SLICE_MS) {
          // Yield to the host's event loop (I/O, rendering), then go on where we left off.
          yieldSchedulerFor(scheduler).schedule(drainCaller, 0, this);
          return;
        }
      }
    }
    if (queue.length > 0) {
      // The frame's budget is spent: the rest runs on the next frame.
      this._drainAction = scheduler.schedule(drainCaller, 0, this);
      return;
    }
    this._drainScheduled = false;
  }

  private _finishStop(): void {
    // The queue and the delayed calls count too: a child stopping at once calls this from inside stop(),
    // before stop() has cancelled this caller's own calls.
    if (this._state !== STOPPING || this._teardowns > 0 || this._children.size > 0 || (this._running?.size ?? 0) > 0 || this._queue.length > 0 || (this._delayed?.size ?? 0) > 0) return;
    this._state = STOPPED;
    threadState.callers.delete(this.id);
    this.stopped.setResult();
  }
}

const resolved = Promise.resolve();

/** The thread's default caller: protected, made on first use (again if it was force-stopped). */
function defaultCaller(): Caller {
  let caller = threadState.defaultCaller as Caller | undefined;
  if (caller === undefined || caller.stopping.done) {
    caller = new Caller({ name: 'main', protected: true });
    threadState.defaultCaller = caller;
  }
  return caller;
}

function fireDelayedAction(this: SchedulerAction<CallPending<unknown>>, pending?: CallPending<unknown>): void {
  fireDelayedCall(pending!);
}

function drainCaller(this: SchedulerAction<Caller>, caller?: Caller): void {
  runInFrame(caller!._frame, drainInFrame, caller!);
}

function drainInFrame(caller: Caller): void {
  caller._drain();
}

function describeBackend(backend: Backend): string {
  return typeof backend === 'string' ? `'${backend}'` : 'a custom SchedulerLike';
}

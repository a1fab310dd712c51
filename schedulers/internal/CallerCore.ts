import type { SchedulerLike } from 'rxjs';
import { PendingCancelled } from '../../lib/errors.js';
import { Pending } from '../../lib/Pending.js';
import { asyncDisposeSymbol } from '../../lib/internal/asyncDispose.js';
import { currentFrame } from '../../lib/internal/context.js';
import { joinCurrentGroup } from '../../lib/internal/membership.js';
import { reportUnhandled } from '../../lib/internal/report.js';
import { threadState, type Frame } from '../../lib/internal/threadState.js';
import { expectBoolean, expectCount, expectDuration, expectOptionsObject } from '../../lib/internal/validate.js';
import type { CallerState, ChildCaller } from '../CallerOptions.js';
import type { ThreadPool } from '../threads/ThreadPool.js';
import type { CallerAction } from './CallerAction.js';
import { CallPending } from './CallPending.js';
import type { FunctionQueues } from './FunctionQueues.js';
import { InFlightCalls } from './InFlightCalls.js';
import { cancelQueued, type QueueItem } from './queueItems.js';
import { RunQueue } from './RunQueue.js';
import type { PoolSettings } from './threadCalls.js';
import { rememberZone } from '../../lib/internal/zones.js';

type AnyFunction = (...args: never[]) => unknown;

export const INITIAL = 0;
export const RUNNING = 1;
export const STOPPING = 2;
export const STOPPED = 3;
const STATE_NAMES: readonly CallerState[] = ['initial', 'running', 'stopping', 'stopped'];
const STATE_MARKS = ['🌱', '🏃', '🛑', '🏁'];

/**
 * The values behind `Caller`'s static settings. Each is checked when set (a bad setting fails where it is
 * written, with the same argument errors as the rest of the API); `Infinity` means never / no limit.
 */
let maxIdle = 10;
let idleTimeout = 60_000;
let grace = 1000;

/**
 * The machinery every call of a same-thread caller goes through, under `Caller`'s public API: the state
 * (it only moves forward) with the `started`, `stopping` and `stopped` pendings, the children, the one
 * ordered run queue, the calls in flight (on a timer, or awaiting what their work returned), and `stop()`,
 * which stops the children first, cancels the work and settles `stopped` once nothing is left. It also
 * holds the static settings every caller reads (`Caller.CANCEL_GRACE` and the thread pools' idle limits).
 */
export abstract class CallerCore {
  /**
   * Idle worker threads kept per pool: a whole number >= 0, or `Infinity` (no limit).
   * @default 10
   * @throws TypeError or RangeError, when set, for any other value.
   */
  static get MAX_IDLE_POOL_INSTANCES(): number {
    return maxIdle;
  }
  static set MAX_IDLE_POOL_INSTANCES(value: number) {
    expectCount('Caller.MAX_IDLE_POOL_INSTANCES', value, 0);
    maxIdle = value;
  }

  /**
   * Idle worker threads are shut down after this many ms; `0` or `Infinity` never shuts them down.
   * @default 60000
   * @throws TypeError or RangeError, when set, for a value that is not a number >= 0.
   */
  static get IDLE_WORKER_SHUTDOWN_DURATION(): number {
    return idleTimeout;
  }
  static set IDLE_WORKER_SHUTDOWN_DURATION(value: number) {
    expectDuration('Caller.IDLE_WORKER_SHUTDOWN_DURATION', value, true);
    idleTimeout = value;
  }

  /**
   * A cancelled call whose work ignores its signal is settled `cancelled` after this many ms;
   * `Infinity` waits for the work however long it takes.
   * @default 1000
   * @throws TypeError or RangeError, when set, for a value that is not a number >= 0.
   */
  static get CANCEL_GRACE(): number {
    return grace;
  }
  static set CANCEL_GRACE(value: number) {
    expectDuration('Caller.CANCEL_GRACE', value, true);
    grace = value;
  }

  readonly id: number;
  readonly name: string;
  /** Settled when the caller started (at construction). */
  readonly started: Pending<void>;
  /** Settled when `stop()` began. */
  readonly stopping: Pending<void>;
  /** Settled once the caller, its children and every call it made have settled. */
  readonly stopped: Pending<void>;

  /** @internal */ protected _state = INITIAL;
  /** @internal */ protected _parent: CallerCore | undefined;
  /** Teardowns `stopped` waits for besides calls and children (the thread pool's exit). */
  #teardowns = 0;
  readonly #protected: boolean;
  readonly #children = new Set<ChildCaller>();
  /** @internal the backend's scheduler: every tick, delay and now() goes through it */ readonly _scheduler: SchedulerLike;
  /** @internal the context frame of work that is not a call (scheduled actions) */ readonly _frame: Frame;
  /** @internal */ protected readonly _queue = new RunQueue(this);
  /** Calls out of the queue and not settled (on a timer, or awaiting what their work returned). */
  private readonly _inFlight: InFlightCalls;
  /** @internal */ protected _functionQueues: FunctionQueues | undefined;
  /** @internal The worker threads of `toThread`, made on first use. */
  _pool: ThreadPool | undefined;

  protected constructor(name: string | undefined, isProtected: boolean, scheduler: SchedulerLike) {
    this.id = threadState.nextCallerId++;
    this.name = name ?? `caller-${this.id}`;
    this.#protected = isProtected;
    this._scheduler = scheduler;
    this._frame = { caller: this, pending: undefined };
    this._inFlight = new InFlightCalls(() => this.#finishStop(), cancelGrace);
    this.started = new Pending<void>({ protect: true });
    this.stopping = new Pending<void>({ protect: true });
    this.stopped = new Pending<void>({ protect: true });
  }

  get state(): CallerState {
    return STATE_NAMES[this._state]!;
  }

  get running(): boolean {
    return this._state === RUNNING;
  }

  get protected(): boolean {
    return this.#protected;
  }

  get children(): ReadonlySet<ChildCaller> {
    return this.#children;
  }

  /**
   * Stops the caller: children first, then `queueCall` queues; queued and delayed calls are cancelled at
   * once, running ones are asked to cancel (and settled after `Caller.CANCEL_GRACE` if they ignore it).
   * `stopped` settles once every call has settled. A no-op on a protected caller unless `force` (its
   * `stopped` then settles only once it is stopped with `force`).
   * @returns the `stopped` pending: `await caller.stop()` waits until every call has settled. It is
   *   protected: unsubscribing from it never cancels it.
   */
  stop(options?: { force?: boolean }): Pending<void> {
    expectOptionsObject('options', options);
    expectBoolean('options.force', options?.force);
    if (this._state >= STOPPING || (this.#protected && !options?.force)) return this.stopped;
    this._state = STOPPING;
    this.stopping.setResult();
    for (const child of [...this.#children]) child.stop({ force: true });
    this.#cancelWork(`caller '${this.name}' stopped`);
    this.#finishStop();
    return this.stopped;
  }

  /** `await using caller = new Caller()`: stops the caller (forced) and waits until it has stopped. */
  async [asyncDisposeSymbol](): Promise<void> {
    await this.stop({ force: true });
  }

  toString(): string {
    const n = this.#children.size;
    return `<Caller ${STATE_MARKS[this._state]} ${this.state} name='${this.name}' id=${this.id}${n ? ` ${n} child${n === 1 ? '' : 'ren'}` : ''}>`;
  }

  /** @internal Adds a child that stops with this caller and leaves `children` when it has stopped. */
  _adoptChild(child: ChildCaller): void {
    if (child instanceof CallerCore) child._parent = this;
    this.#children.add(child);
    child.stopped._addPassiveCallback(() => {
      this.#children.delete(child);
      // Stryker disable next-line ConditionalExpression: _finishStop checks the state itself; asking first only saves the call
      if (this._state === STOPPING) this.#finishStop();
    });
  }

  /** Settles `stopped` once stopping and nothing is left. */
  #finishStop(): void {
    // The caller's own calls (in flight or queued) count too: a child stopping at once calls this from
    // inside stop(), before stop() has cancelled this caller's own calls.
    if (this._state !== STOPPING || this.#teardowns > 0 || this.#children.size > 0 || this._inFlight.size > 0 || this._queue.length > 0) return;
    this._state = STOPPED;
    threadState.callers.delete(this.id);
    this.stopped.setResult();
  }

  /** Cancels the caller's own work, children aside (see `stop()`). */
  #cancelWork(reason: string): void {
    // One PendingCancelled for every queued call this stop settles at once (each delayed or running call
    // makes its own only if someone reads it).
    const shared = this._queue.length > 0 ? new PendingCancelled([reason]) : undefined;
    for (let item = this._queue.shift(); item !== undefined; item = this._queue.shift()) cancelQueued(item, reason, shared);
    this._inFlight.cancelAll(reason);
    if (this._pool !== undefined) {
      // No thread may outlive its caller: `stopped` waits until every worker has exited.
      this.#teardowns++;
      void this._pool.close().then(() => {
        this.#teardowns--;
        this.#finishStop();
      });
    }
    // A call that stops its own caller from its synchronous part is running but tracked nowhere yet:
    // cancel it too, or `stopped` would settle before it.
    const current = currentFrame()?.pending;
    if (current instanceof CallPending && current._caller === this && !current.cancelled) current.cancel(reason);
  }

  /** @internal Makes a call's pending and starts it: on the queue, or on `scheduler` after `delay`. */
  _call<R>(fn: AnyFunction, args: readonly unknown[], metadata: Record<string, unknown> | undefined, track: boolean, scheduler: SchedulerLike | undefined, delay: number): Pending<R> {
    const pending = new CallPending<R>(this, fn, args, metadata);
    if (this._state >= STOPPING) {
      pending.cancel(`caller '${this.name}' is ${this.state}`);
      return pending;
    }
    if (track) joinCurrentGroup(pending as Pending<unknown>);
    rememberZone(pending);
    if (scheduler === undefined) {
      this._enqueue(pending as CallPending<unknown>);
    } else {
      this._inFlight.startDelayed(pending as CallPending<unknown>, scheduler, delay);
    }
    return pending;
  }

  /** @internal Puts an item on the queue and makes sure one drain is scheduled for it. */
  _enqueue(item: QueueItem): void {
    if (this._state >= STOPPING) {
      // Only an action rescheduling itself gets here once stopping (call methods check first).
      // Stryker disable next-line StringLiteral: cancelling an action (the only item here) reads no reason
      cancelQueued(item, `caller '${this.name}' is ${this.state}`);
      return;
    }
    this._queue.enqueue(item);
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
      // RxJS actions keep RxJS's unhandled-error path, as RxJS's own schedulers do (DESIGN §7).
      reportUnhandled(error);
    }
  }

  /** @internal Awaits what a call's work returned, with cancellation carried to it. */
  _awaitResult(pending: CallPending<unknown>, result: PromiseLike<unknown>, then: PromiseLike<unknown>['then']): void {
    this._inFlight.awaitResult(pending, result, then, this._scheduler);
  }
}

/** How long (ms) a cancelled call that ignores its signal may run; read at cancel time. */
const cancelGrace = (): number => grace;
/** @internal The settings of a caller's thread pool (`toThread`), read when the pool needs them. */
export const poolSettings: PoolSettings = {
  maxIdle: () => maxIdle,
  idleTimeout: () => idleTimeout,
  cancelGrace,
  resourceLimits: () => threadState.config.poolResourceLimits,
};

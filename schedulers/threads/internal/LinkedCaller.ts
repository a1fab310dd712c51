import { asyncScheduler, type Observable, type Subscription } from 'rxjs';
import { CallerStoppedError, WorkerCrashedError } from '../../../lib/errors.js';
import { Pending } from '../../../lib/Pending.js';
import { asyncDisposeSymbol } from '../../../lib/internal/asyncDispose.js';
import { joinCurrentGroup } from '../../../lib/internal/membership.js';
import { scheduleTimeout } from '../../../lib/internal/scheduleTimeout.js';
import { threadState } from '../../../lib/internal/threadState.js';
import { expectDuration, expectOptionsObject, got } from '../../../lib/internal/validate.js';
import type { CallerState } from '../../Caller.js';
import type { StreamValue } from '../../ThreadCaller.js';
import type { Cloned } from '../Cloned.js';
import type { ThreadTask } from '../threadTask.js';
import type { ThreadHost } from './Endpoint.js';
import { LinkClient } from './LinkClient.js';
import type { BackTargets } from './serveBack.js';
import { describeTask, toTaskRef } from './taskRef.js';
import { WorkerLink, type HeldCall } from './WorkerLink.js';

/** How a subclass starts its far end and describes it. */
export interface LinkedCallerSetup {
  readonly name: string;
  readonly parent: object;
  /** Starts the far end (again, when a task that ignored its cancel is terminated). */
  readonly start: () => ThreadHost;
  /** Calls with a shared cancel slot (0 where the far end shares no memory). */
  readonly slotCount: number;
  readonly cancelGrace: () => number;
  /** Who serves the calls the far end makes back. */
  readonly back: BackTargets & { readonly parentName: string };
}

const INITIAL = 0;
const RUNNING = 1;
const STOPPING = 2;
const STOPPED = 3;
const STATE_NAMES: readonly CallerState[] = ['initial', 'running', 'stopping', 'stopped'];
const STATE_MARKS = ['🌱', '🏃', '🛑', '🏁'];

/** Checks what every linked caller is given, before anything is started. */
export function checkLinkedCallerOptions(options: { name: unknown; parent: unknown } | undefined | null): void {
  expectOptionsObject('options', options);
  if (options === undefined || options === null) throw new TypeError(`Expected \`options\` to be an object, got ${got(options)}`);
  if (typeof options.name !== 'string') throw new TypeError(`Expected \`options.name\` to be a string, got ${got(options.name)}`);
  if (options.parent === null || typeof options.parent !== 'object') throw new TypeError(`Expected \`options.parent\` to be a caller, got ${got(options.parent)}`);
}

/**
 * A child caller whose calls run at the far end of a link — a worker thread (ThreadCaller) or a child
 * process (ProcessCaller) — in order, on the caller that far end makes for it. The lifecycle, calls,
 * streams, cancellation and crash handling are the same whatever the far end is; subclasses start it.
 *
 * It is `initial` until its far end is up (`started` settles then; calls made before wait), `running`,
 * then `stopping` and `stopped` once `stop()` was called, or its far end died (calls it held then fail
 * with {@link WorkerCrashedError}). `stopped` settles once the far end has exited.
 */
export abstract class LinkedCaller {
  readonly id: number;
  readonly name: string;
  readonly parent: object;
  /** Settled when the far end is up and running calls. */
  readonly started: Pending<void>;
  /** Settled when `stop()` began (or the far end died). */
  readonly stopping: Pending<void>;
  /** Settled once the far end has exited and every call has settled. */
  readonly stopped: Pending<void>;

  /** @internal */ protected _link: WorkerLink;
  private _state = INITIAL;
  private readonly _client: LinkClient;
  private readonly _setup: LinkedCallerSetup;
  private readonly _cancelGrace: () => number;
  private _stopTimer: Subscription | undefined;

  protected constructor(setup: LinkedCallerSetup) {
    const { name, parent } = setup;
    this.id = threadState.nextCallerId++;
    this.name = name;
    this.parent = parent;
    this._setup = setup;
    this._cancelGrace = setup.cancelGrace;
    this.started = new Pending<void>({ protect: true });
    this.stopping = new Pending<void>({ protect: true });
    this.stopped = new Pending<void>({ protect: true });
    this._link = this._connect();
    this._client = new LinkClient(this._link, setup.cancelGrace, {
      graceExpired: () => this._restart(),
      idle: () => this._idle(),
    });
  }

  /** Starts the far end and links to it; `stopped` follows the current link's exit. */
  private _connect(): WorkerLink {
    const { name, slotCount, back } = this._setup;
    const link = new WorkerLink(
      this._setup.start(),
      { mode: 'caller', name, idleTimeout: 0, slotCount, back },
      {
        ready: () => this._ready(),
        released: () => {},
        idle: () => {},
        stopped: (link) => {
          link.kill();
          this._client.cancelAll(`${this._kind} '${this.name}' ended: its caller stopped`);
        },
        exit: (link, code, error, held) => this._died(link, code, error, held),
      },
    );
    void link.exited.then(() => {
      if (link === this._link) this._finish();
    });
    return link;
  }

  /** The class name, for messages. */
  protected abstract get _kind(): string;
  /** What the far end is ('worker thread', 'child process'), for messages. */
  protected abstract get _where(): string;
  /** Says where the far end runs, for `toString()` (' thread=3'), once known. */
  protected abstract _describeFarEnd(): string;

  get state(): CallerState {
    return STATE_NAMES[this._state]!;
  }

  get running(): boolean {
    return this._state === RUNNING;
  }

  /**
   * Queues `task(...args)` on the far end's caller. Arguments and result are structured-cloned;
   * errors keep their class name, message, stack and cause. A stopping or stopped caller returns a
   * pending already cancelled.
   * @returns the call's pending; cancelling it aborts the task's signal over there.
   * @throws TypeError when `task` is not a ThreadTask or a self-contained function.
   */
  callSoon<A extends unknown[], R>(task: ThreadTask<A, R> | ((...args: A) => R), ...args: A): Pending<Cloned<Awaited<R>>> {
    return this._call(task, args, 0) as Pending<Cloned<Awaited<R>>>;
  }

  /**
   * Runs `task(...args)` on the far end's caller `delay` ms from now (timed over there; Infinity: never,
   * until cancelled).
   * @throws RangeError when `delay` is negative or NaN; TypeError when `task` is not a task.
   */
  callLater<A extends unknown[], R>(delay: number, task: ThreadTask<A, R> | ((...args: A) => R), ...args: A): Pending<Cloned<Awaited<R>>> {
    expectDuration('delay', delay, true);
    return this._call(task, args, delay) as Pending<Cloned<Awaited<R>>>;
  }

  /**
   * Runs `task(...args)` on the far end for each subscription and emits what it returns: every value of
   * an Observable, async iterable, iterable or promise (as rxjs `from` does; a string is one value), or
   * the value itself. Completes and errors with the stream; unsubscribing stops the stream over there.
   * A stopping or stopped caller errors new subscribers with {@link CallerStoppedError}.
   * @throws TypeError when `task` is not a ThreadTask or a self-contained function.
   */
  observe<A extends unknown[], R>(task: ThreadTask<A, R> | ((...args: A) => R), ...args: A): Observable<Cloned<StreamValue<R>>> {
    const refuse = () => {
      if (this._state >= STOPPING) return new CallerStoppedError(`${this._kind} '${this.name}' is ${this.state}: observe was refused`);
      if (this._link.active === 0) this._link.host.ref();
      return undefined;
    };
    return this._client.observe(toTaskRef(task), args, refuse) as Observable<Cloned<StreamValue<R>>>;
  }

  /**
   * Stops the far end's caller — its queued and running calls end cancelled — then ends the far end.
   * With `force` it is terminated at once, as it is when it does not stop within `Caller.CANCEL_GRACE`
   * ms. `stopped` settles once it has exited.
   * @returns the `stopped` pending: `await worker.stop()` waits until the far end has exited.
   */
  stop(options?: { force?: boolean }): Pending<void> {
    expectOptionsObject('options', options);
    if (this._state >= STOPPING) return this.stopped;
    this._state = STOPPING;
    this.stopping.setResult();
    this._link.host.ref();
    if (options?.force || this._link.state === 'gone') {
      this._link.kill();
      this._client.cancelAll(`${this._kind} '${this.name}' ended: it was stopped`);
    } else {
      this._link.stop(false);
      // A far end stuck in a synchronous loop never answers: it is terminated after the grace period.
      this._stopTimer = scheduleTimeout(asyncScheduler, this._cancelGrace(), () => {
        this._link.kill();
        this._client.cancelAll(`${this._kind} '${this.name}' ended: it did not stop in time`);
      });
    }
    return this.stopped;
  }

  /** `await using worker = caller.get({ thread: true })`: stops it and waits until it has stopped. */
  async [asyncDisposeSymbol](): Promise<void> {
    await this.stop();
  }

  toString(): string {
    return `<${this._kind} ${STATE_MARKS[this._state]} ${this.state} name='${this.name}' id=${this.id}${this._describeFarEnd()}>`;
  }

  private _call(task: unknown, args: unknown[], delay: number): Pending<unknown> {
    const ref = toTaskRef(task);
    const pending = new Pending<unknown>({ metadata: { task, args, caller: this } });
    if (this._state >= STOPPING) {
      pending.cancel(`${this._kind} '${this.name}' is ${this.state}`);
      return pending;
    }
    joinCurrentGroup(pending);
    if (this._link.active === 0) this._link.host.ref();
    this._client.call(ref, args, delay, pending);
    return pending;
  }

  private _ready(): void {
    if (this._state !== INITIAL) return;
    this._state = RUNNING;
    this.started.setResult();
    this._idle();
  }

  /** With no call in flight a running far end does not keep the host process alive. */
  private _idle(): void {
    if (this._state === RUNNING && this._link.active === 0) this._link.host.unref();
  }

  /**
   * A cancelled task ignored its signal for the whole grace period: its far end is terminated and a
   * new one started (this caller stays `running`; the far end's state is new). Calls it had not begun
   * go to the new one in order; calls it had begun fail with {@link WorkerCrashedError}.
   */
  private _restart(): void {
    if (this._state !== RUNNING || this._link.state === 'gone') return;
    const old = this._link;
    const why = `a cancelled call ignored its signal for more than ${this._cancelGrace()} ms, so the ${this._where} was terminated and replaced`;
    this._link = this._connect();
    this._link.host.ref();
    this._client.relink(this._link);
    old.terminate((held) => this._client.failHeld(held, (call) => new WorkerCrashedError(`The ${this._where} of ${this._kind} '${this.name}' running this call (${describeTask(call.ref)}) was terminated: ${why}`)));
    this._idle();
  }

  private _died(link: WorkerLink, code: number, error: unknown, held: HeldCall[]): void {
    const what = error !== undefined ? `crashed: ${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}` : `exited with code ${code}`;
    this._client.failHeld(
      held,
      (call) => new WorkerCrashedError(`The ${this._where} of ${this._kind} '${this.name}'${link.ready ? '' : ' failed to start or'} ${what} while this call (${describeTask(call.ref)}) was held`, { cause: error }),
    );
    if (this._state < STOPPING) {
      this._state = STOPPING;
      this.stopping.setResult();
    }
  }

  private _finish(): void {
    this._stopTimer?.unsubscribe();
    this._client.cancelAll(`${this._kind} '${this.name}' ended: its ${this._where} exited`);
    if (this._state < STOPPING) this.stopping.setResult();
    this._state = STOPPED;
    if (!this.started.done) this.started.cancel(`${this._kind} '${this.name}' stopped before its ${this._where} started`);
    this.stopped.setResult();
  }
}

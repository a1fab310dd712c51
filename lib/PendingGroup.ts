import { asyncScheduler, noop, type SchedulerLike, type Subscription } from 'rxjs';
import { describeError, PendingCancelled, PendingGroupError } from './errors.js';
import { Pending } from './Pending.js';
import { asyncDisposeSymbol } from './internal/asyncDispose.js';
import { isPending } from './internal/isPending.js';
import { currentFrame, runInFrame } from './internal/context.js';
import { isThenable } from './internal/isThenable.js';
import { joinCurrentGroup, type GroupLike } from './internal/membership.js';
import { scheduleTimeout } from './internal/scheduleTimeout.js';
import { threadState, type Frame } from './internal/threadState.js';
import { expectBoolean, expectDuration, expectFunction, expectOneOf, expectOptionsObject, got, holds } from './internal/validate.js';
import { isBranded } from './internal/brand.js';

/**
 * What a {@link PendingGroup} does when a member is cancelled, and how it ends once cancelled (as in
 * async_kernel): `0` ignores member cancellation and ends quietly; `1` cancels the group on a member's
 * cancellation and rejects with `PendingCancelled`; `2` cancels the group and ends quietly; `3` ignores
 * member cancellation and rejects with `PendingCancelled` if the group was cancelled.
 */
export type PendingGroupMode = 0 | 1 | 2 | 3;

/** Options of `new PendingGroup()` and `caller.createPendingGroup()`. */
export interface PendingGroupOptions {
  /** See {@link PendingGroupMode}. @default 0 */
  mode?: PendingGroupMode;
  /** Keep outer cancellation out: the pending the group is made in, or an outer group, cannot cancel it. @default false */
  shield?: boolean;
  /** Cancel the group this many ms after it is made. @default Infinity */
  timeout?: number;
  /** The scheduler that times `timeout` (virtual inside `TestScheduler.run()`). @default asyncScheduler */
  scheduler?: SchedulerLike;
}

const IDLE = 0;
const RUNNING = 1;
const CLOSING = 2;
const CLOSED = 3;
const STATE_NAMES = ['idle', 'running', 'closing', 'closed'];
const MODES: readonly PendingGroupMode[] = [0, 1, 2, 3];

/**
 * Structured concurrency: a scope whose members — every pending a caller makes inside it, nested calls
 * and calls after an `await` included (Node) — it waits for, and cancels together.
 *
 * The group's {@link PendingGroup.pending} settles once the body and every member have settled. A member
 * failure cancels the others and rejects the group with {@link PendingGroupError} (every member error);
 * an error thrown by the body itself cancels the members and rejects the group with that error as is.
 * Cancellation (`cancel()`, the group's pending cancelled or unsubscribed, the pending it was made in
 * cancelled unless `shield`, `timeout`) cancels every member and aborts the body's signal
 * (`Caller.currentPending()!.signal` inside the body), then ends as the `mode` says: modes 1 and 3 reject
 * with `PendingCancelled`; modes 0 and 2 end quietly, fulfilled with the body's value (or `undefined` if
 * the body was cut short by the cancellation). A group made inside another group's context is a member of
 * it. Members run where their own caller runs them.
 *
 * @example
 * import { Caller } from 'rxjs-caller';
 * const caller = Caller.current();
 * const group = caller.createPendingGroup({ timeout: 5000 });
 * const total = await group.run(async () => {
 *   const a = caller.callSoon(() => 1); // a member
 *   await caller.callLater(10, () => caller.callSoon(() => 2)); // members too, nested ones included
 *   return (await a) + 1;
 * });
 * // or: await using group = new PendingGroup(); group.add(pending); …
 */
export class PendingGroup implements GroupLike {
  /** @internal `instanceof` across the ESM and CJS builds (lib/internal/brand.ts). */
  static [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(this, value);
  }
  /** @internal */
  get __rxjsCaller(): string {
    return 'PendingGroup';
  }
  /** The group's pending: settles once the body and every member have; cancelling it cancels the group. */
  readonly pending: Pending<unknown>;
  readonly #mode: PendingGroupMode;
  #state = IDLE;
  readonly #members = new Set<Pending<unknown>>();
  readonly #errors: unknown[] = [];
  #reasons: string[] | undefined;
  /** What the body returned, or (`#bodyFailed`) threw; set once the body has ended (the state is then CLOSING). */
  #bodyValue: unknown;
  #bodyFailed: boolean | undefined;
  /** The body's pending: its frame's pending, and the signal the body watches. */
  #scope: Pending<void> | undefined;
  /** What the group's pending waits for (scope and members), for deadlock detection. */
  #edges: Pending<unknown>[] = [];
  /** @internal the caller running the code that made the group (`Caller.current()` inside the body) */ _caller: object | undefined;
  #finishing = false;
  readonly #scheduler: SchedulerLike;
  /** The timeout, then (once cancelled with the body still running) the grace period. */
  #timer: Subscription | undefined;
  #unlinkOuter: (() => void) | undefined;

  /**
   * @param options `mode` (default 0), `shield` (default false), `timeout` (ms, default Infinity),
   *   `scheduler` (default asyncScheduler).
   * @throws TypeError or RangeError when an option is bad.
   */
  constructor(options?: PendingGroupOptions) {
    expectOptionsObject('options', options);
    const { mode = 0, shield = false, timeout = Infinity, scheduler = asyncScheduler } = options ?? {};
    expectOneOf('options.mode', mode, MODES);
    expectBoolean('options.shield', shield);
    expectDuration('options.timeout', timeout, true);
    if (typeof scheduler !== 'object' || !holds(() => typeof scheduler.schedule === 'function')) {
      throw new TypeError(`Expected \`options.scheduler\` to be an RxJS SchedulerLike, got ${got(scheduler)}`);
    }
    this.#mode = mode;
    this.#scheduler = scheduler;
    const frame = currentFrame();
    this._caller = frame?.caller;
    const pending = (this.pending = new Pending<unknown>({ metadata: { group: this } }));
    pending.setCanceller((reason) => (this.#finishing ? pending._settleCancelled() : this.cancel(reason)));
    if (shield) joinShielded(pending);
    else {
      joinCurrentGroup(pending);
      this.#linkOuter(frame?.pending);
    }
    pending._group = this;
    threadState.groupMade = true;
    // Stryker disable next-line ConditionalExpression: an Infinity timeout never fires (scheduleTimeout); the check only saves a timer
    if (timeout !== Infinity) this.#timer = scheduleTimeout(scheduler, timeout, () => this.cancel(`timed out after ${timeout} ms`));
  }

  /** Whether the group was cancelled (by `cancel()`, a member, a timeout or outer cancellation). */
  get cancelled(): boolean {
    return this.#reasons !== undefined;
  }

  /**
   * Runs `body(group)` inside the group, so every pending a caller makes there (and after its `await`s,
   * in Node) is a member; returns the group's pending, which settles with the body's value once the body
   * and every member have settled (see the class for failure and cancellation).
   * @throws TypeError when `body` is not a function; Error when the group was entered or closed already.
   */
  run<R>(body: (group: PendingGroup) => R | PromiseLike<R>): Pending<R> {
    expectFunction('body', body);
    if (this.#state !== IDLE) {
      throw new Error(`Cannot run a body in ${this}: a group is entered once (run() was called, or it was disposed)`);
    }
    this.#state = RUNNING;
    const scope = (this.#scope = new Pending<void>());
    scope._group = this;
    // Cancelling the scope only aborts its signal: it settles when the body ends.
    scope.setCanceller(noop);
    if (this.#reasons !== undefined) {
      scope.cancel(this.#reasons.join('; '));
      this.#startGrace();
    }
    this.#addEdge(scope);
    try {
      // The frame the body runs in: its pending is the group's scope (so every call made there joins the
      // group), its caller the one running the code that made the group (undefined: the thread's default).
      const frame: Frame = { caller: this._caller, pending: scope };
      const result = runInFrame(frame, body, this);
      if (isThenable(result)) {
        result.then(
          (value) => this.#bodyDone(value),
          (error: unknown) => this.#bodyDone(error, true),
        );
      } else {
        this.#bodyDone(result);
      }
    } catch (error) {
      this.#bodyDone(error, true);
    }
    return this.pending as Pending<R>;
  }

  /**
   * Makes `pending` a member: the group waits for it, cancels it with the group, and fails if it fails.
   * @throws TypeError when `pending` is not a Pending; Error when the group has closed (it is then cancelled).
   */
  add(pending: Pending<unknown>): void {
    if (!isPending(pending)) throw new TypeError(`Expected \`pending\` to be a Pending, got ${got(pending)}`);
    this._adopt(pending);
  }

  /**
   * Cancels the group: every unfinished member is cancelled (and later members at once), the body's
   * signal aborts; the group still settles only when the body and members have.
   * @returns whether the group is now cancelled (false once it has closed without being cancelled).
   * @throws TypeError when `reason` is not a string.
   */
  cancel(reason = ''): boolean {
    if (typeof reason !== 'string') throw new TypeError(`Expected \`reason\` to be a string, got ${got(reason)}`);
    if (this.#state === CLOSED) return this.cancelled;
    const first = this.#reasons === undefined;
    (this.#reasons ??= []).push(reason);
    if (first) {
      this.#scope?.cancel(reason);
      for (const member of [...this.#members]) member.cancel(reason);
      if (this.#state === RUNNING) this.#startGrace();
    }
    return true;
  }

  /**
   * `await using group = new PendingGroup()`: closes the group (no body) or waits for the running body,
   * then waits for every member; rejects as the group's pending does.
   */
  async [asyncDisposeSymbol](): Promise<void> {
    if (this.#state === IDLE) this.#bodyDone(undefined);
    await this.pending;
  }

  toString(): string {
    const n = this.#members.size;
    return `<PendingGroup ${STATE_NAMES[this.#state]}${this.cancelled ? ' cancelled' : ''} mode=${this.#mode} ${n} member${n === 1 ? '' : 's'}>`;
  }

  /** @internal Takes `pending` as a member (called by callers for each pending made in the group's context). */
  _adopt(pending: Pending<unknown>): void {
    if (this.#state === CLOSED) {
      pending.cancel('its pending group had closed');
      throw new Error(`Cannot add a pending to ${this}: the group has settled; make the call outside the group, or before it closes`);
    }
    // Stryker disable next-line ConditionalExpression: a member added twice would only get a second callback, which finds it gone
    if (this.#members.has(pending)) return;
    this.#members.add(pending);
    this.#addEdge(pending);
    if (this.#reasons !== undefined) pending.cancel(this.#reasons.join('; '));
    pending._addPassiveCallback(this.#onMemberDone);
  }

  readonly #onMemberDone = (member: Pending<unknown>) => {
    if (!this.#members.delete(member)) return;
    if (member.state === 'rejected') {
      const error = member.exception();
      this.#errors.push(error);
      if (!this.cancelled) this.cancel(`a member failed: ${describeError(error)}`);
    } else if (member.state === 'cancelled' && (this.#mode === 1 || this.#mode === 2) && !this.cancelled) {
      this.cancel('a member was cancelled');
    }
    this.#close();
  };

  #bodyDone(value: unknown, failed = false): void {
    // A body that outlived its grace period was already counted as cancelled.
    if (this.#state >= CLOSING) return;
    this.#bodyValue = value;
    this.#bodyFailed = failed;
    this.#state = CLOSING;
    this.#scope?.setResult();
    if (failed && !this.#isCancellation(value)) this.cancel(`the body failed: ${describeError(value)}`);
    this.#close();
  }

  /**
   * A body that ignores its cancelled signal must not hold the group forever: like a call's work, it
   * counts as cancelled after `Caller.CANCEL_GRACE` ms (read from the group's caller; 1000 by default).
   */
  #startGrace(): void {
    const grace = (this._caller?.constructor as { CANCEL_GRACE?: unknown } | undefined)?.CANCEL_GRACE;
    this.#timer?.unsubscribe();
    this.#timer = scheduleTimeout(this.#scheduler, typeof grace === 'number' && grace >= 0 ? grace : 1000, () =>
      this.#bodyDone(new PendingCancelled(this.#reasons), true),
    );
  }

  /** Settles the group's pending once the body and every member have settled. */
  #close(): void {
    if (this.#state !== CLOSING || this.#members.size > 0) return;
    this.#state = CLOSED;
    this.#timer?.unsubscribe();
    this.#unlinkOuter?.();
    const pending = this.pending;
    const value = this.#bodyValue;
    const errors = this.#errors;
    // The body's own error wins; one it merely passed on (a member's failure, the group's cancellation) does not.
    if (this.#bodyFailed && !this.#isCancellation(value) && !errors.includes(value)) pending.setException(value);
    else if (errors.length > 0) pending.setException(new PendingGroupError(errors));
    else if (this.cancelled && (this.#mode === 1 || this.#mode === 3)) this.#settleCancelled();
    else pending.setResult(this.#bodyFailed ? undefined : value);
  }

  #settleCancelled(): void {
    const pending = this.pending;
    if (pending.cancelled) {
      pending._settleCancelled();
      return;
    }
    this.#finishing = true;
    pending.cancel(this.#reasons!.filter(Boolean).join('; '));
  }

  /** A PendingCancelled thrown by the body while the group is cancelled is the cancellation, not a failure. */
  #isCancellation(error: unknown): boolean {
    return this.cancelled && (error as Error | null)?.name === 'PendingCancelled';
  }

  #addEdge(pending: Pending<unknown>): void {
    let edges = this.#edges;
    if (edges.length >= 64 && edges.length > 2 * (this.#members.size + 1)) {
      edges = this.#edges = this.#scope !== undefined && !this.#scope.done ? [this.#scope, ...this.#members] : [...this.#members];
    }
    edges.push(pending);
    this.pending._awaiting = edges;
  }

  /** Cancels the group when the pending whose work made it is cancelled. */
  #linkOuter(outer: Pending<unknown> | undefined): void {
    if (outer === undefined || outer.done) return;
    if (outer.cancelled) {
      this.cancel('the pending it was made in was cancelled');
      return;
    }
    const signal = outer.signal;
    const onAbort = () => this.cancel('the pending it was made in was cancelled');
    signal.addEventListener('abort', onAbort, { once: true });
    this.#unlinkOuter = () => signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A shielded group still belongs to the group it was made in (which waits for it), through a stand-in
 * member that outer cancellation cannot get past: cancelling it leaves it `cancelling` until the group
 * has settled.
 */
function joinShielded(pending: Pending<unknown>): void {
  // Stryker disable next-line ConditionalExpression: outside a group the stand-in would join nothing; the check only saves making it
  if (currentFrame()?.pending?._group === undefined) return;
  const standIn = new Pending<unknown>();
  standIn.setCanceller(noop);
  joinCurrentGroup(standIn);
  pending._addPassiveCallback((p) => {
    if (p.state === 'fulfilled') standIn.setResult(p.result());
    else if (p.state === 'rejected') standIn.setException(p.exception());
    else standIn._settleCancelled();
  });
}

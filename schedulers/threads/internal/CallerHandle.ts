import type { Observable } from 'rxjs';
import { Pending } from '../../../lib/Pending.js';
import { joinCurrentGroup } from '../../../lib/internal/membership.js';
import { expectDuration } from '../../../lib/internal/validate.js';
import type { StreamValue } from '../../ThreadCaller.js';
import type { ThreadTask } from '../threadTask.js';
import { backChannel } from './channels.js';
import type { Endpoint, ThreadHost } from './Endpoint.js';
import { LinkClient } from './LinkClient.js';
import type { BackChannel, TaskRef } from './protocol.js';
import type { Relay } from './ServeOptions.js';
import { CALLER_SLOTS } from './slots.js';
import { toTaskRef } from './taskRef.js';
import { WorkerLink, type LinkEvents } from './WorkerLink.js';

export interface CallerHandleOptions {
  /** Which caller of the starting thread: its `Caller.main()`, or the caller that owns this worker's link. */
  readonly channel: BackChannel;
  /** That caller's name. */
  readonly name: string;
  /** Whether the starting thread shares memory with this one (a thread, not a process): calls then get cancel slots. */
  readonly shared: boolean;
  readonly cancelGrace: () => number;
  /** Why every call is refused, when the starting thread cannot serve calls (it is blocked in `runSync`). */
  readonly refusal?: string;
}

const NO_EVENTS: LinkEvents = { ready() {}, released() {}, idle() {}, stopped() {}, exit() {} };

/**
 * Inside a worker thread or child process: a caller of the thread that started it — what `Caller.main()`
 * and `Caller.current().parent` return there. Calls made with `callSoon`, `callLater` and `observe` run
 * over there, in order, on that caller (`Caller.current()` is it, `Caller.currentPending()` the call's
 * pending), exactly as a ThreadCaller's calls run in its worker: module tasks or self-contained
 * functions, arguments and results structured-cloned, errors rebuilt, cancellation carried over (the
 * task's signal aborts there). A worker started by a worker reaches the main thread's caller through
 * its starter, which passes the calls on. Nothing is sent until the first call.
 *
 * @internal Made by the worker entry; users meet it as `Caller.main()` inside a worker.
 */
export class CallerHandle implements Relay {
  readonly name: string;
  private client: LinkClient | undefined;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly options: CallerHandleOptions,
  ) {
    this.name = options.name;
  }

  /**
   * Queues `task(...args)` on the caller over there.
   * @returns the call's pending; cancelling it aborts the task's signal over there.
   * @throws TypeError when `task` is not a ThreadTask or a self-contained function.
   */
  callSoon<A extends unknown[], R>(task: ThreadTask<A, R> | ((...args: A) => R), ...args: A): Pending<Awaited<R>> {
    return this.call(task, toTaskRef(task), args, 0) as Pending<Awaited<R>>;
  }

  /**
   * Runs `task(...args)` on the caller over there `delay` ms after the call arrives (timed there).
   * @throws RangeError when `delay` is negative or NaN (Infinity: never, until cancelled); TypeError when `task` is not a task.
   */
  callLater<A extends unknown[], R>(delay: number, task: ThreadTask<A, R> | ((...args: A) => R), ...args: A): Pending<Awaited<R>> {
    expectDuration('delay', delay, true);
    return this.call(task, toTaskRef(task), args, delay) as Pending<Awaited<R>>;
  }

  /**
   * Runs `task(...args)` over there for each subscription and emits what it streams (see
   * `ThreadCaller.observe`); unsubscribing stops the stream over there.
   * @throws TypeError when `task` is not a ThreadTask or a self-contained function.
   */
  observe<A extends unknown[], R>(task: ThreadTask<A, R> | ((...args: A) => R), ...args: A): Observable<StreamValue<R>> {
    return this._relayObserve(toTaskRef(task), args) as Observable<StreamValue<R>>;
  }

  toString(): string {
    return `<CallerHandle ${this.options.channel === 'main' ? 'main' : 'parent'} name='${this.name}'>`;
  }

  /** @internal */
  _relayCall(ref: TaskRef, args: readonly unknown[]): Pending<unknown> {
    return this.call(ref, ref, args, 0);
  }

  /** @internal */
  _relayObserve(ref: TaskRef, args: readonly unknown[]): Observable<unknown> {
    const refusal = this.options.refusal;
    return this.linkClient().observe(ref, args, () => (refusal === undefined ? undefined : new Error(refusal)));
  }

  private call(task: unknown, ref: TaskRef, args: readonly unknown[], delay: number): Pending<unknown> {
    const pending = new Pending<unknown>({ metadata: { task, args, caller: this } });
    if (this.options.refusal !== undefined) {
      pending.setException(new Error(this.options.refusal));
      return pending;
    }
    joinCurrentGroup(pending);
    this.linkClient().call(ref, args, delay, pending);
    return pending;
  }

  private linkClient(): LinkClient {
    if (this.client === undefined) {
      const { channel, name, shared, cancelGrace } = this.options;
      // The starting thread outlives this worker: nothing here can end it, or see it end.
      const host: ThreadHost = {
        endpoint: backChannel(this.endpoint, channel),
        onExit() {},
        terminate: () => Promise.resolve(),
        ref() {},
        unref() {},
      };
      const link = new WorkerLink(host, { mode: channel, name, idleTimeout: 0, slotCount: shared ? CALLER_SLOTS : 0 }, NO_EVENTS);
      this.client = new LinkClient(link, cancelGrace);
    }
    return this.client;
  }
}

import { asyncScheduler, noop, type Subscription } from 'rxjs';
import { Pending } from '../../../lib/Pending.js';
import { runInFrame } from '../../../lib/internal/context.js';
import { isThenable } from '../../../lib/internal/isThenable.js';
import { scheduleTimeout } from '../../../lib/internal/scheduleTimeout.js';
import { callTask, streamTask, type TaskServer } from './callerTasks.js';
import { unwrapTransfer } from '../transfer.js';
import { ownChannel } from './channels.js';
import { decodeBatch, encodeBatch } from './compactBatch.js';
import { toEndpoint, type Endpoint } from './Endpoint.js';
import { explainInlineError, resolveTask } from './loadTask.js';
import { Outbox } from './Outbox.js';
import type { Batch, CallMessage, ClientMessage, InitMessage, TaskRef, WorkerMessage } from './protocol.js';
import { isRelay, type Relay, type ServeOptions, type WorkerCaller } from './ServeOptions.js';
import { STARTED } from './slots.js';
import { onThreadExit, wakingEndpoint } from './syncWake.js';
import { ThreadCallPending } from './ThreadCallPending.js';
import { watchSlotOf } from './watchSlot.js';
import { serializeFailure, uncloneableAnswer } from './wireErrors.js';

type TaskFunction = (...args: unknown[]) => unknown;

/**
 * The serving side of a link: runs the calls that arrive on `endpoint` and answers them, batching the
 * answers of one tick into one message. Used by the worker entry, by the starting thread for the calls a
 * worker makes back to it (serveBack.ts), and in one process (over a `MessageChannel`) by tests. Pool
 * calls run at once when they arrive (several may be in flight, each with its own pending); a
 * ThreadCaller's calls, and calls made back, go through one caller, in order.
 *
 * @returns a function that stops listening and cancels the calls still running.
 */
export function serve(endpoint: Endpoint, options: ServeOptions): () => void {
  const server = new Server(endpoint, options);
  const stopParent = ownChannel(endpoint).listen((data) => server.receive(data as Batch<unknown>));
  return () => {
    stopParent();
    server.dispose();
  };
}

class Server implements TaskServer {
  private mode: InitMessage['mode'] = 'pool';
  private slots: Int32Array | undefined;
  private outbox: Outbox<WorkerMessage> | undefined;
  private stopListening: (() => void) | undefined;
  private caller: WorkerCaller | undefined;
  /** @internal Where calls are passed on to, when the caller they target lives on another thread. */
  relay: Relay | undefined;
  /** Calls in flight, by id: cancel messages find them here. */
  private readonly calls = new Map<number, Pending<unknown>>();
  /** Ids of calls cancelled in the very batch that brought them: they never start. */
  private cancelledEarly: Set<number> | undefined;
  /** Tasks named by the client, by id. */
  private readonly tasks = new Map<number, TaskRef>();
  /** Their functions, once loaded. */
  private readonly functions = new Map<number, TaskFunction>();
  private idleTimeout = 0;
  private idleSince = 0;
  private idleTimer: Subscription | undefined;
  private readonly onPoolCallDone = (pending: Pending<unknown>) => this.answer((pending as ThreadCallPending)._id, 'call', pending);

  constructor(
    private endpoint: Endpoint,
    private readonly options: ServeOptions,
  ) {}

  receive(wire: Batch<unknown>): void {
    const batch = decodeBatch<ClientMessage>(wire);
    this.cancelledEarly = undefined;
    for (const message of batch) if (message.type === 'cancel') (this.cancelledEarly ??= new Set()).add(message.id);
    for (const message of batch) {
      switch (message.type) {
        case 'init':
          this.init(message);
          break;
        case 'config':
          this.idleTimeout = message.idleTimeout;
          break;
        case 'task':
          this.tasks.set(message.id, message.task);
          break;
        case 'forget':
          this.tasks.delete(message.id);
          this.functions.delete(message.id);
          break;
        case 'call':
          if (this.mode === 'pool' || this.mode === 'sync') this.callNow(message);
          else this.callOnCaller(message);
          break;
        case 'cancel':
          this.calls.get(message.id)?.cancel(message.reason);
          break;
        case 'stop':
          this.stop(message.force);
          break;
      }
    }
    if (this.calls.size === 0) this.becameIdle();
  }

  /** The client has gone: nobody waits for the calls still running, so they are cancelled. */
  dispose(): void {
    this.stopListening?.();
    this.idleTimer?.unsubscribe();
    for (const pending of [...this.calls.values()]) pending.cancel('the thread that made this call has gone');
  }

  private init(message: InitMessage): void {
    this.mode = message.mode;
    this.idleTimeout = message.idleTimeout;
    if (message.slots !== undefined) this.slots = new Int32Array(message.slots);
    if (message.port !== undefined) {
      // runSync: answers go on a port of their own, which the blocked thread reads synchronously.
      const port = toEndpoint(message.port as Parameters<typeof toEndpoint>[0]);
      this.stopListening = port.listen((data) => this.receive(data as Batch<unknown>));
      this.endpoint = port;
    }
    let endpoint = this.endpoint;
    if (message.wake !== undefined) endpoint = wakingEndpoint(endpoint, new Int32Array(message.wake));
    this.outbox = new Outbox<WorkerMessage>(endpoint, (failed, error) => uncloneableAnswer(failed, error), encodeBatch);
    this.options.onInit?.(message);
    if (message.mode !== 'pool' && message.mode !== 'sync') {
      const target = this.options.callerFor(message);
      if (isRelay(target)) {
        // The relaying work runs here, in order, on this thread's own caller; the task runs over there.
        this.relay = target;
        this.caller = this.options.currentCaller() as WorkerCaller;
      } else {
        this.caller = target;
      }
    }
    if (message.mode === 'sync' && message.wake !== undefined) onThreadExit(new Int32Array(message.wake));
    const outbox = this.outbox;
    this.options.onThreadExit?.(() => outbox.flush());
    this.send({ type: 'ready', id: 0, threadId: this.options.threadId });
    // At once, before any call of this batch runs (and perhaps ends the thread).
    this.outbox.flush();
  }

  /**
   * Claims the call's slot as the task is about to start; false when the client took the call back
   * (revoked, to cancel it or run it elsewhere) first. A call is claimed only then, not when it arrives:
   * calls waiting behind a loading module or a busy task stay free to run elsewhere if this thread dies.
   */
  private claim(slot: number): boolean {
    return this.slots === undefined || slot < 0 || Atomics.compareExchange(this.slots, slot, 0, STARTED) === 0;
  }

  /** A pool call: runs now (or once its task module has loaded), in its own frame. */
  private callNow(message: CallMessage): void {
    if (this.cancelledEarly?.has(message.id)) {
      this.send({ type: 'cancelled', id: message.id, reasons: [] });
      return;
    }
    const pending = new ThreadCallPending(this.options.currentCaller(), message.id, this.slots, message.slot);
    this.calls.set(message.id, pending);
    pending.addDoneCallback(this.onPoolCallDone);
    // A cancelled call stays `cancelling` until its task ends; the client decides when to stop waiting.
    pending.setCanceller(noop);
    const ref = this.tasks.get(message.task)!;
    let fn: TaskFunction | Promise<TaskFunction> | undefined = this.functions.get(message.task);
    if (fn === undefined) {
      try {
        fn = this.resolve(message.task, ref);
      } catch (error) {
        this.failUnclaimed(pending, message.slot, error);
        return;
      }
    }
    if (fn instanceof Promise) {
      fn.then(
        (loaded) => this.invoke(pending, message, ref, loaded),
        (error: unknown) => this.failUnclaimed(pending, message.slot, error),
      );
    } else {
      this.invoke(pending, message, ref, fn);
    }
  }

  /** A call whose task could not be found fails, unless the client took it back meanwhile. */
  private failUnclaimed(pending: ThreadCallPending, slot: number, error: unknown): void {
    if (this.claim(slot)) pending.setException(error);
    else pending._settleCancelled();
  }

  /** @internal A task's function (cached once loaded), or a promise of it while its module loads. */
  resolve(taskId: number, ref: TaskRef | undefined): TaskFunction | Promise<TaskFunction> {
    if (ref === undefined) throw new Error(`rxjs-caller protocol error: unknown task id ${taskId}`);
    const fn = resolveTask(ref);
    if (!(fn instanceof Promise) && this.tasks.get(taskId) === ref) this.functions.set(taskId, fn);
    return fn;
  }

  /** @internal */
  refOf(taskId: number): TaskRef | undefined {
    return this.tasks.get(taskId);
  }

  private invoke(pending: ThreadCallPending, message: CallMessage, ref: TaskRef, fn: TaskFunction): void {
    if (pending.cancelled || !this.claim(message.slot)) {
      pending._settleCancelled();
      return;
    }
    // The answers of calls that ended are sent before this task runs: if it ends the thread (exits, runs
    // out of memory, loops until it is terminated), they are not lost with it.
    this.outbox?.flush();
    let result: unknown;
    try {
      result = runInFrame(pending, () => fn(...message.args), undefined);
    } catch (error) {
      pending.setException(explainInlineError(ref, error));
      return;
    }
    if (!isThenable(result)) {
      pending.setResult(result);
      return;
    }
    if (result instanceof Pending) pending.setCanceller((reason) => result.cancel(reason));
    try {
      result.then(
        (value) => pending.setResult(value),
        (error: unknown) => pending.setException(explainInlineError(ref, error)),
      );
    } catch (error) {
      // A thenable whose `then` throws: the call fails, the thread goes on.
      pending.setException(explainInlineError(ref, error));
    }
  }

  /** A call served in order: queued on the link's caller (or timed by it, for callLater). */
  private callOnCaller(message: CallMessage): void {
    const caller = this.caller!;
    if (this.cancelledEarly?.has(message.id)) {
      this.send({ type: 'cancelled', id: message.id, reasons: [] });
      return;
    }
    const work = message.mode === 'observe' ? streamTask : callTask;
    const delay = message.delay ?? 0;
    // The task is looked up now: the client may forget it once its calls are sent.
    const ref = this.refOf(message.task)!;
    // callLater(Infinity) never runs: its pending waits for a cancel (which settles it at once).
    const pending =
      delay === Infinity ? new Pending<unknown>() : delay > 0 ? caller.callLater(delay, work, this, message, ref) : caller.scheduleCall(work, [this, message, ref], { metadata: { task: ref } });
    if (this.slots !== undefined && message.slot >= 0) watchSlotOf(pending, this.slots, message.slot);
    this.calls.set(message.id, pending);
    pending.addDoneCallback((done) => this.answer(message.id, message.mode ?? 'call', done));
  }

  /**
   * @internal Claims a call served in order as it starts (see `claim`) and sends the answers waiting in
   * the outbox first; false when the client took the call back, which then must not run.
   */
  start(message: CallMessage): boolean {
    if (!this.claim(message.slot)) return false;
    this.outbox?.flush();
    return true;
  }

  /** @internal Sends a stream value (mode 'observe'). */
  next(id: number, value: unknown): void {
    const { value: sent, list } = unwrapTransfer(value, undefined);
    this.send({ type: 'next', id, value: sent }, list);
  }

  private stop(force: boolean): void {
    const caller = this.caller;
    // Only a caller made for the link is stopped by it; one a worker calls back on is not the worker's to stop.
    if (caller === undefined || this.mode !== 'caller') {
      this.send({ type: 'stopped', id: 0 });
      return;
    }
    caller.stop({ force });
    caller.stopped.addDoneCallback(() => this.send({ type: 'stopped', id: 0 }));
  }

  private answer(id: number, mode: 'call' | 'observe', pending: Pending<unknown>): void {
    this.calls.delete(id);
    switch (pending.state) {
      case 'fulfilled':
        if (mode === 'observe') {
          this.send({ type: 'complete', id });
        } else {
          const { value, list } = unwrapTransfer(pending.result(), undefined);
          this.send({ type: 'result', id, value }, list);
        }
        break;
      case 'rejected':
        this.send({ type: 'error', id, failure: serializeFailure(pending.exception()) });
        break;
      default:
        this.send({ type: 'cancelled', id, reasons: [] });
    }
    if (this.calls.size === 0) this.becameIdle();
  }

  private send(message: WorkerMessage, transfer?: object[]): void {
    this.outbox?.push(message, transfer);
  }

  /** Pool workers offer to retire after `idleTimeout` ms without calls (0 or Infinity: never); the client decides. */
  private becameIdle(): void {
    if (this.mode !== 'pool' || !(this.idleTimeout > 0 && this.idleTimeout < Infinity)) return;
    this.idleSince = asyncScheduler.now();
    this.idleTimer ??= scheduleTimeout(asyncScheduler, this.idleTimeout, this.checkIdle);
  }

  private readonly checkIdle = (): void => {
    this.idleTimer = undefined;
    if (this.calls.size > 0 || !(this.idleTimeout > 0 && this.idleTimeout < Infinity)) return;
    const left = this.idleSince + this.idleTimeout - asyncScheduler.now();
    if (left > 0) this.idleTimer = scheduleTimeout(asyncScheduler, left, this.checkIdle);
    else this.send({ type: 'idle', id: 0 });
  };
}

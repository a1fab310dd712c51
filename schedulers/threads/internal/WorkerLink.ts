import { LruMap } from '../../../lib/internal/LruMap.js';
import { ownChannel } from './channels.js';
import { decodeBatch, encodeBatch } from './compactBatch.js';
import type { ThreadHost } from './Endpoint.js';
import { Outbox } from './Outbox.js';
import type { Batch, CallMessage, CancelledMessage, ClientMessage, CompleteMessage, ErrorMessage, NextMessage, ResultMessage, TaskRef, WorkerMessage, WorkerMode } from './protocol.js';
import { CANCEL, makeSlots, REVOKED, STARTED } from './slots.js';
import { serveBack, type BackTargets } from './serveBack.js';
import { describeTask } from './taskRef.js';

/** A worker's answer to one call. */
export type Answer = ResultMessage | ErrorMessage | CancelledMessage | NextMessage | CompleteMessage;

/** One call as a link sees it: what to send, and where its answers go. */
export interface LinkCall {
  readonly ref: TaskRef;
  readonly args: readonly unknown[];
  /** Objects moved (not copied) with the arguments. */
  readonly transfer: object[] | undefined;
  readonly mode: 'call' | 'observe';
  readonly delay: number;
  /** An answer from the worker: `next` any number of times, then one that ends the call. */
  answer(message: Answer): void;
  /** The call could not be sent (its arguments cannot be cloned). */
  fail(error: unknown): void;
}

/** A call sent on a link. `call` is cleared when the call is answered, revoked or moved elsewhere. */
export interface Job {
  readonly id: number;
  readonly slot: number;
  /** The link it was sent on. */
  readonly link: WorkerLink;
  call: LinkCall | undefined;
}

/** A call the link held when its thread went away, and whether the worker had begun it. */
export interface HeldCall {
  readonly call: LinkCall;
  readonly started: boolean;
}

export interface LinkEvents {
  ready(link: WorkerLink): void;
  /** Calls ended or left the link, or freed their slots (once per incoming batch). */
  released(link: WorkerLink): void;
  /** The worker has been idle for its idle timeout and offers to retire. */
  idle(link: WorkerLink): void;
  /** The worker's caller stopped (answer to `stop`). */
  stopped(link: WorkerLink): void;
  /** The thread went away on its own (not through `kill()`): crash, exit, failed start. */
  exit(link: WorkerLink, code: number, error: unknown, held: HeldCall[]): void;
}

export interface LinkOptions {
  readonly mode: WorkerMode;
  readonly name: string;
  readonly idleTimeout: number;
  /** Calls in flight with a shared slot (0: none, for a far end that shares no memory). */
  readonly slotCount: number;
  /** The callers that serve the calls the worker makes back (`Caller.main()`, its parent); none: it makes none. */
  readonly back?: BackTargets & { readonly parentName: string };
}

/**
 * The calling side of one worker: sends calls (batched per tick), routes the answers, and keeps the
 * shared slots through which a call is cancelled inside a busy worker, or taken back before it began.
 * Policy (where calls go, what a crash means for them) belongs to the owner, told through `events`.
 */
export class WorkerLink {
  /** Calls sent and not yet answered, by id (answered-to-nobody ones too, until the worker frees their slot). */
  readonly jobs = new Map<number, Job>();
  /** Calls on this link that still have someone waiting (jobs whose `call` is set). */
  active = 0;
  ready = false;
  /** -1 until the worker says hello. */
  threadId = -1;
  /** Cancelled calls still running here (their task may be ignoring its signal): new calls go elsewhere. */
  hogs = 0;
  /** 'live' until `kill()`, a retirement or the thread's exit. */
  state: 'live' | 'gone' = 'live';
  /** Resolves once the thread has exited. */
  readonly exited: Promise<void>;

  private readonly slots: Int32Array | undefined;
  private readonly freeSlots: number[] = [];
  private readonly outbox: Outbox<ClientMessage>;
  private nextId = 1;
  /**
   * Tasks named on this link (refs are made once per task, so identity finds them). Bounded: the worker
   * is told to forget the least recently used one, so neither side grows with every inline function.
   */
  private readonly taskIds = new LruMap<TaskRef, number>(256, (_, id) => this.outbox.push({ type: 'forget', id }));
  private nextTaskId = 1;
  /** Set by `terminate()`: told the calls still held once the thread has exited. */
  private onTerminated: ((held: HeldCall[]) => void) | undefined;
  private sentIdleTimeout: number;
  private exitCode: number | undefined;

  constructor(
    readonly host: ThreadHost,
    options: LinkOptions,
    private readonly events: LinkEvents,
  ) {
    const shared = makeSlots(options.slotCount);
    if (shared !== undefined) {
      this.slots = new Int32Array(shared);
      for (let i = options.slotCount - 1; i >= 0; i--) this.freeSlots.push(i);
    }
    this.sentIdleTimeout = options.idleTimeout;
    this.outbox = new Outbox<ClientMessage>(host.endpoint, (message, error) => this.uncloneable(message, error), encodeBatch);
    const init: ClientMessage = { type: 'init', id: 0, mode: options.mode, slots: shared, name: options.name, idleTimeout: options.idleTimeout };
    this.outbox.push(options.back === undefined ? init : { ...init, parentName: options.back.parentName });
    let resolveExited!: () => void;
    this.exited = new Promise<void>((resolve) => (resolveExited = resolve));
    ownChannel(host.endpoint).listen((data) => this.receive(decodeBatch(data as Batch<unknown>)));
    const stopServingBack = options.back === undefined ? undefined : serveBack(host.endpoint, options.back);
    host.onExit((code, error) => {
      this.exitCode = code;
      stopServingBack?.();
      resolveExited();
      const terminated = this.onTerminated;
      if (terminated !== undefined) {
        this.onTerminated = undefined;
        terminated(this.takeHeld());
        return;
      }
      if (this.state === 'gone') return;
      this.state = 'gone';
      this.events.exit(this, code, error, this.takeHeld());
    });
  }

  /** Sends a call. */
  send(call: LinkCall): Job {
    const id = this.nextId++;
    let slot = -1;
    if (this.slots !== undefined && this.freeSlots.length > 0) {
      slot = this.freeSlots.pop()!;
      Atomics.store(this.slots, slot, 0);
    }
    const job: Job = { id, slot, link: this, call };
    this.jobs.set(id, job);
    this.active++;
    let task = this.taskIds.get(call.ref);
    if (task === undefined) {
      this.taskIds.set(call.ref, (task = this.nextTaskId++));
      this.outbox.push({ type: 'task', id: task, task: call.ref });
    }
    const message: CallMessage =
      call.mode === 'call' && call.delay === 0
        ? { type: 'call', id, task, args: call.args, slot }
        : { type: 'call', id, task, args: call.args, slot, mode: call.mode, delay: call.delay };
    this.outbox.push(message, call.transfer);
    return job;
  }

  /** Tells a pool worker a new idle timeout, if it changed. */
  configure(idleTimeout: number): void {
    if (idleTimeout === this.sentIdleTimeout) return;
    this.sentIdleTimeout = idleTimeout;
    this.outbox.push({ type: 'config', id: 0, idleTimeout });
  }

  /**
   * Asks the worker to stop a call. A call it has not begun is taken back at once ('revoked': it is off
   * the link now); a running one gets its shared CANCEL flag and a cancel message ('signalled').
   */
  cancel(job: Job, reason: string): 'revoked' | 'signalled' {
    if (this.revoke(job)) return 'revoked';
    if (this.slots !== undefined && job.slot >= 0) Atomics.or(this.slots, job.slot, CANCEL);
    this.outbox.push({ type: 'cancel', id: job.id, reason });
    return 'signalled';
  }

  /** Takes back a call the worker has not begun; true if it worked (the call is off the link). */
  revoke(job: Job): boolean {
    if (job.call === undefined || this.slots === undefined || job.slot < 0) return false;
    if (Atomics.compareExchange(this.slots, job.slot, 0, REVOKED) !== 0) return false;
    this.detach(job);
    return true;
  }

  /** Stops routing a call's answers (its owner gave up waiting); its slot is freed when the worker answers. */
  abandon(job: Job): void {
    this.detach(job);
  }

  /**
   * Calls this link may have in flight at once: many where shared memory tells which ones the worker has
   * begun (the others can be taken back and run elsewhere); one where it cannot (a page that is not
   * cross-origin isolated), so a call that hogs its thread never holds another call hostage.
   */
  capacity(slotted: number): number {
    return this.slots === undefined ? 1 : slotted;
  }

  /**
   * No slot is free for another call. A call taken back keeps its slot until the worker has passed over
   * it (the worker still reads the slot then), so a thread blocked in one task runs out of slots as its
   * neighbours take its calls. A call sent without a slot could not be taken back, and would count as
   * begun were the thread to die: the owner sends none to a link without a free slot.
   */
  get outOfSlots(): boolean {
    return this.slots !== undefined && this.freeSlots.length === 0;
  }

  /** Whether the worker has begun the call (unknown counts as begun). */
  started(job: Job): boolean {
    return this.slots === undefined || job.slot < 0 || (Atomics.load(this.slots, job.slot) & STARTED) !== 0;
  }

  /** Asks a ThreadCaller's worker to stop its caller; it answers `stopped`. */
  stop(force: boolean): void {
    this.outbox.push({ type: 'stop', id: 0, force });
  }

  /** Ends the thread now; returns the calls it held (the owner settles them). */
  kill(): HeldCall[] {
    if (this.state === 'gone') return [];
    this.state = 'gone';
    const held = this.takeHeld();
    void this.host.terminate();
    return held;
  }

  /**
   * Ends the thread, still taking the answers it sent before it ended (a task that finished just before
   * its neighbour was terminated keeps its result); then tells `onGone` the calls left unanswered.
   */
  terminate(onGone: (held: HeldCall[]) => void): void {
    if (this.state === 'gone') return;
    this.state = 'gone';
    this.onTerminated = onGone;
    void this.host.terminate();
  }

  /** The exit code, once the thread has exited. */
  get code(): number | undefined {
    return this.exitCode;
  }

  private detach(job: Job): void {
    if (job.call === undefined) return;
    job.call = undefined;
    this.active--;
  }

  private takeHeld(): HeldCall[] {
    const held: HeldCall[] = [];
    for (const job of this.jobs.values()) {
      if (job.call !== undefined) held.push({ call: job.call, started: this.started(job) });
    }
    this.jobs.clear();
    this.active = 0;
    return held;
  }

  private receive(batch: Batch<WorkerMessage>): void {
    // A terminated thread's last answers still count (see `terminate`); a killed one's do not.
    if (this.state === 'gone' && this.onTerminated === undefined) return;
    let released = false;
    for (const message of batch) {
      switch (message.type) {
        case 'ready':
          this.ready = true;
          this.threadId = message.threadId;
          this.events.ready(this);
          break;
        case 'idle':
          this.events.idle(this);
          break;
        case 'stopped':
          this.events.stopped(this);
          break;
        case 'next':
          this.jobs.get(message.id)?.call?.answer(message);
          break;
        default: {
          const job = this.jobs.get(message.id);
          if (job === undefined) break;
          this.jobs.delete(message.id);
          // A slot freed is room, even for a call nobody waits on: the owner may hold calls for want of one.
          released = true;
          if (job.slot >= 0) this.freeSlots.push(job.slot);
          const call = job.call;
          if (call === undefined) break;
          this.detach(job);
          call.answer(message);
        }
      }
    }
    if (released) this.events.released(this);
  }

  private uncloneable(message: ClientMessage, error: unknown): undefined {
    if (message.type !== 'call') return undefined;
    const job = this.jobs.get(message.id);
    if (job === undefined) return undefined;
    this.jobs.delete(message.id);
    if (job.slot >= 0) this.freeSlots.push(job.slot);
    const call = job.call;
    if (call === undefined) return undefined;
    this.detach(job);
    call.fail(
      new TypeError(
        `The arguments of thread task ${describeTask(call.ref)} could not be sent to the worker (they must be structured-cloneable: no functions, no class instances with private state): ${(error as Error)?.message ?? String(error)}`,
        { cause: error },
      ),
    );
    this.events.released(this);
    return undefined;
  }
}

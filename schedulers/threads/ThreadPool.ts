import { asyncScheduler, Subject, type Subscription } from 'rxjs';
import { WorkerCrashedError } from '../../lib/errors.js';
import type { Pending } from '../../lib/Pending.js';
import { ChunkQueue } from '../../lib/internal/ChunkQueue.js';
import { expectOptionsObject, expectPositiveCount, got } from '../../lib/internal/validate.js';
import { backTargetsFor } from './internal/backTargets.js';
import { checkResourceLimits } from './internal/checkOptions.js';
import { defaultParallelism } from './internal/defaultParallelism.js';
import { PoolCall } from './internal/PoolCall.js';
import type { TaskRef } from './internal/protocol.js';
import { POOL_SLOTS } from './internal/slots.js';
import { spawnThread, type SpawnThread } from './internal/spawnThread.js';
import { lostThreadError } from './internal/lostThreadError.js';
import { describeTask, toTaskRef } from './internal/taskRef.js';
import { WorkerLink, type HeldCall, type Job, type LinkCall, type LinkEvents } from './internal/WorkerLink.js';
import type { ResourceLimits } from './ThreadOptions.js';
import type { ThreadPoolOptions } from './ThreadPoolOptions.js';
import type { AnyThreadTask } from './threadTask.js';
import { unwrapTransfers } from './transfer.js';

export type { ThreadPoolOptions } from './ThreadPoolOptions.js';

type AnyTask = AnyThreadTask | ((...args: never[]) => unknown);

/**
 * The worker threads behind `caller.toThread()`. Threads start when calls need them, up to `maxThreads`;
 * each thread has several calls in flight (sent together, one message per tick), and calls beyond that
 * wait here in FIFO order. A call cancelled before its thread began it is taken back at once; a running
 * one is asked to stop (its signal aborts, even inside a synchronous loop) and, if its thread is still
 * busy `cancelGrace` ms later, the thread is terminated and replaced. A thread that crashes or exits
 * rejects the calls it had begun with {@link WorkerCrashedError}; those it had not begun run elsewhere.
 * Idle threads do not keep the process alive; they retire after `idleTimeout` ms, or at once beyond `maxIdle`.
 *
 * @internal Used by `Caller`; not exported from the package.
 */
export class ThreadPool {
  /** @internal Emits the id of each thread that exits (tests wait on it instead of sleeping). */
  readonly _threadExits = new Subject<number>();

  private readonly maxThreads: number;
  private readonly maxIdle: () => number;
  private readonly idleTimeout: () => number;
  private readonly cancelGrace: () => number;
  private readonly resourceLimits: () => ResourceLimits | undefined;
  private readonly workerEntry: string | URL | undefined;
  private readonly spawnThread: SpawnThread;
  /** Who serves the calls tasks make back (on `Caller.main()` and their parent). */
  private readonly back: ReturnType<typeof backTargetsFor>;
  /** Threads taking calls. */
  private readonly links = new Set<WorkerLink>();
  /** Every thread not yet exited (retiring and terminated ones too). */
  private readonly alive = new Set<WorkerLink>();
  /** Calls waiting for a thread, in order. */
  private readonly queue = new ChunkQueue<PoolCall>();
  /** Calls a lost thread had not begun: they go before the queue, having been sent before it. */
  private retry: PoolCall[] = [];
  /** Set while `pump` runs (see there). */
  private pumping = false;
  private closed = false;
  /** A pump planned for the next timer tick (see `released`). */
  private refill: Subscription | undefined;
  private readonly events: LinkEvents = {
    ready: () => {},
    released: (link) => this.released(link),
    idle: (link) => this.offeredRetirement(link),
    stopped: () => {},
    exit: (link, code, error, held) => this.lost(link, code, error, held),
  };

  constructor(options?: ThreadPoolOptions) {
    expectOptionsObject('options', options);
    const maxThreads = options?.maxThreads ?? defaultParallelism();
    expectPositiveCount('options.maxThreads', maxThreads);
    for (const key of ['maxIdle', 'idleTimeout', 'cancelGrace', 'resourceLimits'] as const) {
      const value = options?.[key];
      if (value !== undefined && typeof value !== 'function') throw new TypeError(`Expected \`options.${key}\` to be a function returning a number, got ${got(value)}`);
    }
    this.maxThreads = maxThreads;
    this.maxIdle = options?.maxIdle ?? (() => 10);
    this.idleTimeout = options?.idleTimeout ?? (() => 60_000);
    this.cancelGrace = options?.cancelGrace ?? (() => 1000);
    this.resourceLimits = options?.resourceLimits ?? (() => undefined);
    this.workerEntry = options?.workerEntry;
    this.spawnThread = options?.spawn ?? spawnThread;
    this.back = backTargetsFor(options?.owner);
  }

  /** Live worker threads (including ones shutting down). */
  get threadCount(): number {
    return this.alive.size;
  }

  /**
   * Runs `task(...args)` on a thread and settles `pending` with its outcome: the value, the error (with
   * its class name, message, stack and cause), {@link WorkerCrashedError}, or cancellation. From this
   * call on the pool owns `pending`: it installs its canceller and always settles it.
   *
   * @throws TypeError when `task` is not a ThreadTask or a self-contained function, or `args` not an
   *   array (`pending` is then rejected with the same error, so nothing waits on it).
   */
  run(task: AnyTask, args: readonly unknown[], pending: Pending<unknown>): void {
    let ref: TaskRef;
    try {
      ref = toTaskRef(task);
      if (!Array.isArray(args)) throw new TypeError(`Expected \`args\` to be an array, got ${got(args)}`);
    } catch (error) {
      pending._markObserved();
      pending.setException(error);
      throw error;
    }
    if (pending.done) return;
    if (this.closed) {
      pending.cancel('the thread pool is closed');
      return;
    }
    const { args: sent, list } = unwrapTransfers(args);
    const call = new PoolCall(this, ref, sent, list, pending);
    pending.setCanceller((reason) => this.cancelCall(call, reason));
    if (!pending.done) this.dispatch(call);
  }

  /** Terminates every thread; queued and running calls end cancelled. Resolves once all threads have exited. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.refill?.unsubscribe();
      const reason = 'the thread pool was closed';
      const waiting = [...this.retry, ...this.queue.drain()];
      this.retry = [];
      for (const call of waiting) call.pending.cancel(reason);
      for (const link of [...this.links]) {
        this.links.delete(link);
        for (const { call } of link.kill()) (call as PoolCall).cancelNow(reason);
      }
    }
    await Promise.all([...this.alive].map((link) => link.exited));
  }

  /** @internal The thread ids of the threads taking calls. */
  get _threadIds(): number[] {
    return [...this.links].map((link) => link.threadId);
  }

  /** @internal How many calls wait for a thread (cancelled ones not yet dropped included). */
  get _waiting(): number {
    return this.retry.length + this.queue.length;
  }

  /**
   * @internal A call's grace period ran out: its thread is terminated and the call ends cancelled. The
   * thread's other calls keep the answers it sent before it ended; those it had not begun run elsewhere.
   */
  _graceExpired(call: PoolCall): void {
    const link = call.link;
    if (call.pending.done || link === undefined || link.state === 'gone') return;
    this.links.delete(link);
    const why = `a cancelled call (${describeTask(call.ref)}) kept its thread busy for more than ${this.cancelGrace()} ms`;
    if (call.job !== undefined) link.abandon(call.job);
    call.cancelNow();
    link.terminate((held) => {
      for (const item of held) this.recover(item, () => new WorkerCrashedError(`The worker thread ${link.threadId} running this call (${describeTask(item.call.ref)}) was terminated: ${why}`));
      this.pump();
    });
    this.pump();
  }

  private cancelCall(call: PoolCall, reason: string): void {
    const link = call.link;
    const job = call.job;
    if (this.closed || link === undefined || job === undefined || link.state === 'gone') {
      // Still queued, or nowhere to cancel it. A queued call is dropped when the queue reaches it: pumping
      // drops it now if it is at the front, so calls cancelled while the threads are full are not kept.
      call.pending._settleCancelled();
      this.pump();
      return;
    }
    if (link.cancel(job, reason) === 'revoked') {
      call.leave();
      call.pending._settleCancelled();
      this.released(link);
      return;
    }
    call.startGrace(this.cancelGrace());
    this.evacuate(link);
  }

  /** Moves the calls a thread has not begun to other threads (it runs a call that may hog it). */
  private evacuate(link: WorkerLink): void {
    for (const job of [...link.jobs.values()]) {
      const call = job.call as PoolCall | undefined;
      if (call === undefined || call.transfer !== undefined || link.started(job) || !link.revoke(job)) continue;
      call.leave();
      this.retry.push(call);
    }
    this.released(link);
  }

  private dispatch(call: PoolCall): void {
    let link: WorkerLink | undefined;
    try {
      link = this.pick();
    } catch (error) {
      call.fail(error);
      return;
    }
    if (link === undefined) this.queue.push(call);
    else this.send(link, call);
  }

  /**
   * The thread for the next call: an idle one, else a new one, else the least busy with room. A thread
   * running a cancelled call (which may never yield) gets no new calls, nor one without a free slot.
   */
  private pick(): WorkerLink | undefined {
    let best: WorkerLink | undefined;
    let load = Infinity;
    for (const link of this.links) {
      if (link.active < load && link.hogs === 0 && !link.outOfSlots) {
        best = link;
        load = link.active;
        if (load === 0) return link;
      }
    }
    if (this.links.size < this.maxThreads) return this.spawn();
    return best !== undefined && load < best.capacity(POOL_SLOTS) ? best : undefined;
  }

  private spawn(): WorkerLink {
    const resourceLimits = this.resourceLimits();
    checkResourceLimits('config.poolResourceLimits', resourceLimits);
    const host = this.spawnThread({ workerEntry: this.workerEntry, ...(resourceLimits !== undefined && { resourceLimits: resourceLimits as Record<string, number> }) });
    const link = new WorkerLink(host, { mode: 'pool', name: '', idleTimeout: this.idleTimeout(), slotCount: POOL_SLOTS, back: this.back }, this.events);
    this.links.add(link);
    this.alive.add(link);
    void link.exited.then(() => {
      this.alive.delete(link);
      this._threadExits.next(link.threadId);
    });
    return link;
  }

  private send(link: WorkerLink, call: PoolCall): void {
    if (link.active === 0) link.host.ref();
    link.configure(this.idleTimeout());
    call.enter(link, link.send(call));
  }

  /**
   * Sends waiting calls to threads with room, and drops the cancelled ones in front. A call that fails
   * here settles its pending, whose callbacks may cancel another call and so pump again: that inner pump
   * is left to this loop, which goes on from the front as it then is (callbacks only add at the back).
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.retry.length > 0 || this.queue.length > 0) {
        const fromRetry = this.retry.length > 0;
        const call = fromRetry ? this.retry[0]! : this.queue.peek()!;
        if (!call.pending.done) {
          let link: WorkerLink | undefined;
          try {
            link = this.pick();
          } catch (error) {
            link = undefined;
            call.fail(error);
          }
          if (link === undefined && !call.pending.done) return;
          if (link !== undefined) this.send(link, call);
        }
        if (fromRetry) this.retry.shift();
        else this.queue.shift();
      }
    } finally {
      this.pumping = false;
    }
  }

  private released(link: WorkerLink): void {
    // A worker sends each answer as soon as it has it (see serve.ts). Waiting calls are sent to it once it
    // has worked through half its share, so they still travel in batches; else at the next timer tick,
    // so calls that stay long on a thread never keep waiting ones from the room it has.
    if (link.active <= link.capacity(POOL_SLOTS) >> 1 || link.state === 'gone') this.pump();
    else if (this.refill === undefined && (this.queue.length > 0 || this.retry.length > 0)) {
      this.refill = asyncScheduler.schedule(() => {
        this.refill = undefined;
        this.pump();
      });
    }
    if (link.active > 0 || link.state === 'gone') return;
    link.host.unref();
    if (this.steal(link)) return;
    let idle = 0;
    for (const other of this.links) if (other.active === 0) idle++;
    if (idle > this.maxIdle()) this.retire(link);
  }

  /** An idle thread takes a call another thread has queued but not begun (the newest such call). */
  private steal(idle: WorkerLink): boolean {
    if (idle.outOfSlots) return false;
    for (const link of this.links) {
      if (link === idle || link.active < 2) continue;
      let candidate: Job | undefined;
      for (const job of link.jobs.values()) {
        if (job.call !== undefined && (job.call as PoolCall).transfer === undefined && !link.started(job)) candidate = job;
      }
      const call = candidate?.call as PoolCall | undefined;
      if (candidate !== undefined && call !== undefined && link.revoke(candidate)) {
        call.leave();
        this.send(idle, call);
        return true;
      }
    }
    return false;
  }

  private offeredRetirement(link: WorkerLink): void {
    if (link.active === 0 && link.state !== 'gone') this.retire(link);
  }

  private retire(link: WorkerLink): void {
    this.links.delete(link);
    link.kill();
  }

  /** A thread went away by itself: begun calls fail, the others run elsewhere. */
  private lost(link: WorkerLink, code: number, error: unknown, held: HeldCall[]): void {
    this.links.delete(link);
    // Started means it ran calls: it said hello, or began one (seen in shared memory, even when the
    // thread died before its hello could arrive).
    const started = link.ready || held.some((item) => item.started && item.call.transfer === undefined);
    const crash = (call: LinkCall) => lostThreadError(link.threadId, started, call.ref, code, error);
    for (const item of held) {
      // A thread that never started would fail the same way again: its calls fail instead of retrying.
      if (started) this.recover(item, () => crash(item.call));
      else (item.call as PoolCall).fail(crash(item.call));
    }
    this.pump();
  }

  private recover(held: HeldCall, error: () => unknown): void {
    const call = held.call as PoolCall;
    call.leave();
    // Moved arguments are gone with the thread, and a begun call may have had effects: neither is rerun.
    if (this.closed) call.cancelNow('the thread pool was closed');
    else if (held.started || call.transfer !== undefined) call.fail(error());
    else this.retry.push(call);
  }
}

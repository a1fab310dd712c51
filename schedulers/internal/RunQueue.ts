import { asapScheduler, asyncScheduler, type SchedulerAction, type Subscription } from 'rxjs';
import { isAbandoned } from '../../lib/internal/abandoned.js';
import { runBatch, storage } from '../../lib/internal/context.js';
import { reportError } from '../../lib/internal/report.js';
import { ChunkQueue } from '../../lib/internal/ChunkQueue.js';
import { requestBatch } from './asapRounds.js';
import type { CallerCore } from './CallerCore.js';
import { isVirtualTime, yieldSchedulerFor } from './backends.js';
import { runQueued, type QueueItem } from './queueItems.js';

/** How long one batch may run (real ms) before yielding to the host event loop. */
const SLICE_MS = 5;
/** The clock is read once per this many items (a power of two, minus one, as a mask). */
const SLICE_CHECK_MASK = 127;

/**
 * A caller's one ordered queue and its drain: `callSoon`, `callDirect` and zero-delay `schedule` items run
 * from it in batches, one backend tick per batch, yielding to the host event loop every few milliseconds.
 *
 * A batch runs the items queued before it began. Work the batch queues (a work rescheduling itself, a
 * call made by a call) waits for the next batch, behind the batches other callers on the same backend
 * asked for meanwhile, as with RxJS's own schedulers: zero-delay work of two callers interleaves as on
 * `asapScheduler` (and, on animation frames, work queued during a frame runs in the next one). On the
 * 'asap' backend in real time, batches go through shared rounds (asapRounds.ts), not a microtask each.
 */
export class RunQueue extends ChunkQueue<QueueItem> {
  private scheduled = false;
  /** The backend action of the scheduled drain (none on the shared asap rounds). */
  private action: Subscription | undefined;
  private requestedAt = 0;
  /** Items of the running batch not yet run, items run in this time slice, and when it began (-1: clock not read yet). */
  private left = 0;
  private ran = 0;
  private sliceStart = 0; // set by each drain

  constructor(private readonly caller: CallerCore) {
    super();
    // The frames' storage exists before this caller's first batch is queued: under async hooks making it
    // turns them on, and an asap round's job must start on a resource of its own (see runBatch).
    storage();
  }

  /** Puts an item on the queue and makes sure one drain is scheduled for it. */
  enqueue(item: QueueItem): void {
    this.push(item);
    // A drain lost with a failed TestScheduler.run() must not leave the caller waiting forever.
    if (!this.scheduled || (this.action !== undefined && isAbandoned(this.action, this.requestedAt))) this.scheduleBatch();
  }

  /** One backend tick (or a turn in the asap rounds) for the next batch. */
  private scheduleBatch(): void {
    this.scheduled = true;
    const scheduler = this.caller._scheduler;
    if (scheduler === asapScheduler && !isVirtualTime()) {
      this.action = undefined;
      requestBatch(this);
      return;
    }
    try {
      this.requestedAt = asyncScheduler.now();
      this.action = scheduler.schedule(runBatchAction, 0, this);
    } catch (error) {
      // The backend cannot tick here ('animationFrame' outside a browser or TestScheduler.run()):
      // report it, and let a later call try again rather than wait forever on a drain never scheduled.
      this.scheduled = false;
      reportError(error);
    }
  }

  /**
   * @internal One batch: the items queued before it, until done or the time slice is used up. `inRound`:
   * run by the asap rounds, a job of this package's own (see runBatch). `resuming`: goes on with a batch
   * that yielded to the event loop: a new time slice, the same items.
   */
  _drain(inRound?: boolean, resuming?: boolean): void {
    if (!resuming) this.left = this.length;
    this.ran = 0;
    this.sliceStart = -1;
    runBatch(this.caller._frame, runItems, this, inRound);
  }

  /** @internal The batch's loop (inside runBatch: each item runs in its own frame, see runQueued). */
  _runItems(): void {
    const caller = this.caller;
    while (this.left > 0) {
      const item = this.shift();
      if (item === undefined) break;
      runQueued(item, caller);
      this.left--;
      // Stryker disable next-line UpdateOperator: counting down meets a multiple of the check interval as often as counting up
      if ((++this.ran & SLICE_CHECK_MASK) === 0 && this.left > 0) {
        const now = caller._scheduler.now();
        if (this.sliceStart < 0) this.sliceStart = now;
        else if (now - this.sliceStart >= SLICE_MS) {
          // Yield to the host's event loop (I/O, rendering), then go on where we left off.
          this.action = undefined;
          yieldSchedulerFor(caller._scheduler).schedule(resumeAction, 0, this);
          return;
        }
      }
    }
    if (this.length > 0) this.scheduleBatch();
    else this.scheduled = false;
  }
}

function runBatchAction(this: SchedulerAction<RunQueue>, queue?: RunQueue): void {
  queue!._drain();
}

function resumeAction(this: SchedulerAction<RunQueue>, queue?: RunQueue): void {
  queue!._drain(false, true);
}

function runItems(queue: RunQueue): void {
  queue._runItems();
}

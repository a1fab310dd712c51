import { animationFrameScheduler, asapScheduler, asyncScheduler, type SchedulerAction, type Subscription } from 'rxjs';
import { isAbandoned } from '../../lib/internal/abandoned.js';
import { runInFrame } from '../../lib/internal/context.js';
import { reportError } from '../../lib/internal/report.js';
import { RingQueue } from '../../lib/internal/RingQueue.js';
import type { CallerCore } from './CallerCore.js';
import { isVirtualTime, yieldSchedulerFor } from './backends.js';
import { runQueued, type QueueItem } from './queueItems.js';

/** How long one drain may run (real ms) before yielding to the host event loop. */
const SLICE_MS = 5;
/** The clock is read once per this many items (a power of two, minus one, as a mask). */
const SLICE_CHECK_MASK = 127;

const resolved = Promise.resolve();

/**
 * A caller's one ordered queue and its drain: `callSoon`, `callDirect` and zero-delay `schedule` items run
 * from it in batches, one backend tick per batch, yielding to the host event loop every few milliseconds.
 */
export class RunQueue extends RingQueue<QueueItem> {
  private scheduled = false;
  /** The backend action of the scheduled drain (none for the promise-job fast path). */
  private action: Subscription | undefined;
  private requestedAt = 0;
  private readonly runNow = () => runInFrame(this.caller._frame, runBatchInFrame, this);

  constructor(private readonly caller: CallerCore) {
    super();
  }

  /** Puts an item on the queue and makes sure one drain is scheduled for it. */
  enqueue(item: QueueItem): void {
    this.push(item);
    // A drain lost with a failed TestScheduler.run() must not leave the caller waiting forever.
    if (!this.scheduled || (this.action !== undefined && isAbandoned(this.action, this.requestedAt))) {
      this.scheduled = true;
      const scheduler = this.caller._scheduler;
      if (scheduler === asapScheduler && !isVirtualTime()) {
        this.action = undefined;
        resolved.then(this.runNow);
      } else {
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
    }
  }

  /** One batch: runs queued items until the queue is empty or the time slice is used up. */
  runBatch(): void {
    const scheduler = this.caller._scheduler;
    // On animation frames, work queued during a frame runs in the next one (an animation loop runs once
    // a frame), as with animationFrameScheduler; other backends drain what arrives meanwhile too.
    let budget = scheduler === animationFrameScheduler ? this.length : Infinity;
    // The slice is timed from the first clock check, so a short batch never reads the clock.
    let start = -1;
    let count = 0;
    for (let item = budget-- > 0 ? this.shift() : undefined; item !== undefined; item = budget-- > 0 ? this.shift() : undefined) {
      runQueued(item);
      if ((++count & SLICE_CHECK_MASK) === 0 && this.length > 0) {
        const now = scheduler.now();
        if (start < 0) start = now;
        else if (now - start >= SLICE_MS) {
          // Yield to the host's event loop (I/O, rendering), then go on where we left off.
          yieldSchedulerFor(scheduler).schedule(runBatchAction, 0, this);
          return;
        }
      }
    }
    if (this.length > 0) {
      // The frame's budget is spent: the rest runs on the next frame.
      this.action = scheduler.schedule(runBatchAction, 0, this);
      return;
    }
    this.scheduled = false;
  }

  /** @internal The caller whose frame the batch runs in. */
  get _caller(): CallerCore {
    return this.caller;
  }
}

function runBatchAction(this: SchedulerAction<RunQueue>, queue?: RunQueue): void {
  runInFrame(queue!._caller._frame, runBatchInFrame, queue!);
}

function runBatchInFrame(queue: RunQueue): void {
  queue.runBatch();
}

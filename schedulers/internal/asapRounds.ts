import { asapScheduler, asyncScheduler } from 'rxjs';
import { reportError } from '../../lib/internal/report.js';
import { ChunkQueue } from '../../lib/internal/ChunkQueue.js';
import { resolved } from '../../lib/internal/resolved.js';

/** What a round drains: one batch of a caller's queue. */
export interface Batched {
  /** `inRound`: called from a round, this module's own job (the host restores its context when it ends). */
  _drain(inRound: boolean): void;
}

/** How long one round may run (real ms) before yielding to the host event loop. */
const ROUND_SLICE_MS = 5;
/** The clock is read once per this many batches (a power of two, minus one, as a mask). */
const ROUND_CHECK_MASK = 127;

/**
 * The callers on the 'asap' backend (in real time) that have work queued, in the order they asked: a
 * round runs one batch of each, and a caller whose batch queued more work asks again — behind every other
 * caller already waiting. So zero-delay work of several callers interleaves as on `asapScheduler` (`x0 y0
 * x1 y1 …`), while the whole round is one microtask: no promise job, and no promise hook where
 * AsyncLocalStorage uses them, per batch. A round yields to the host's event loop every few ms.
 */
const waiting = new ChunkQueue<Batched>();
let roundScheduled = false;

/** Queues `caller` for one batch in the current or the next round. */
export function requestBatch(caller: Batched): void {
  waiting.push(caller);
  if (!roundScheduled) {
    roundScheduled = true;
    void resolved.then(runRound);
  }
}

function runRound(): void {
  let start = -1;
  let count = 0;
  for (let caller = waiting.shift(); caller !== undefined; caller = waiting.shift()) {
    try {
      caller._drain(true);
    } catch (error) {
      // A drain reports its work's errors itself; anything else must not stop the other callers' rounds.
      reportError(error);
    }
    // Stryker disable next-line UpdateOperator: counting down meets a multiple of the check interval as often as counting up
    if ((++count & ROUND_CHECK_MASK) === 0 && waiting.length > 0) {
      const now = asapScheduler.now();
      if (start < 0) start = now;
      else if (now - start >= ROUND_SLICE_MS) {
        asyncScheduler.schedule(runRound);
        return;
      }
    }
  }
  roundScheduled = false;
}

import { asyncScheduler, type Subscription } from 'rxjs';
import type { Pending } from '../Pending.js';
import { isAbandoned } from './abandoned.js';
import { reportError } from './report.js';

/**
 * Failures nobody observed are reported once, at the end of the tick in which they happened, to
 * `config.onUnobservedError` — never as an `unhandledRejection`. One timer per tick, not per pending.
 */
let queue: Pending<unknown>[] = [];
let scheduled: Subscription | undefined;
let scheduledAt = 0;

export function noteSettled(pending: Pending<unknown>): void {
  if (pending._observed) return;
  queue.push(pending);
  if (scheduled === undefined || isAbandoned(scheduled, scheduledAt)) {
    scheduledAt = asyncScheduler.now();
    scheduled = asyncScheduler.schedule(flush);
  }
}

function flush(): void {
  scheduled = undefined;
  const list = queue;
  queue = [];
  for (const pending of list) {
    if (pending._observed) continue;
    pending._markObserved();
    reportError(pending.exception(), pending);
  }
}

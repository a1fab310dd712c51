import { asyncScheduler } from 'rxjs';
import type { Pending } from '../Pending.js';
import { reportError } from './report.js';
import { threadState } from './threadState.js';

/**
 * Failures nobody observed are reported once, at the end of the tick in which they happened, to
 * `config.onUnobservedError` — never as an `unhandledRejection`. One timer per tick, not per pending.
 */
let queue: Pending<unknown>[] = [];

export function noteSettled(pending: Pending<unknown>): void {
  if (pending._observed) return;
  queue.push(pending);
  if (queue.length === 1) asyncScheduler.schedule(flush);
}

function flush(): void {
  const list = queue;
  queue = [];
  for (const pending of list) {
    if (pending._observed) continue;
    pending._markObserved();
    try {
      threadState.config.onUnobservedError(pending.exception(), pending);
    } catch (error) {
      reportError(error);
    }
  }
}

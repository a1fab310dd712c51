import { asyncScheduler, type Subscription } from 'rxjs';
import type { Pending } from '../../../lib/Pending.js';
import { scheduleTimeout } from '../../../lib/internal/scheduleTimeout.js';
import type { ThreadPool } from '../ThreadPool.js';
import type { TaskRef } from './protocol.js';
import { deserializeFailure } from './wireErrors.js';
import type { Answer, Job, LinkCall, WorkerLink } from './WorkerLink.js';

/** A call of the pool: its pending, and where it is. */
export class PoolCall implements LinkCall {
  readonly mode = 'call';
  readonly delay = 0;
  link: WorkerLink | undefined;
  job: Job | undefined;
  private grace: Subscription | undefined;
  /** The thread this call, cancelled, may be hogging. */
  private hogged: WorkerLink | undefined;

  constructor(
    private readonly pool: ThreadPool,
    readonly ref: TaskRef,
    readonly args: readonly unknown[],
    readonly transfer: object[] | undefined,
    readonly pending: Pending<unknown>,
  ) {}

  enter(link: WorkerLink, job: Job): void {
    this.link = link;
    this.job = job;
  }

  leave(): void {
    this.link = undefined;
    this.job = undefined;
  }

  answer(message: Answer): void {
    this.stopGrace();
    this.leave();
    switch (message.type) {
      case 'result':
        this.pending.setResult(message.value);
        break;
      case 'error':
        this.pending.setException(deserializeFailure(message.failure));
        break;
      case 'cancelled':
        this.pending._settleCancelled();
        break;
    }
  }

  fail(error: unknown): void {
    this.stopGrace();
    this.leave();
    this.pending.setException(error);
  }

  /** Ends the call cancelled now, whatever its thread is doing. */
  cancelNow(reason?: string): void {
    this.stopGrace();
    this.leave();
    if (reason !== undefined) this.pending.cancel(reason);
    this.pending._settleCancelled();
  }

  /** The call was asked to stop: its thread gets no new calls, and is terminated after `ms` (Infinity: never). */
  startGrace(ms: number): void {
    if (this.grace !== undefined || this.link === undefined) return;
    this.hogged = this.link;
    this.hogged.hogs++;
    this.grace = scheduleTimeout(asyncScheduler, ms, () => this.pool._graceExpired(this));
  }

  private stopGrace(): void {
    this.grace?.unsubscribe();
    this.grace = undefined;
    if (this.hogged !== undefined) this.hogged.hogs--;
    this.hogged = undefined;
  }
}

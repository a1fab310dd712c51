import { asyncScheduler, Observable, type Subscriber, type Subscription } from 'rxjs';
import { PendingCancelled } from '../../../lib/errors.js';
import type { Pending } from '../../../lib/Pending.js';
import { scheduleTimeout } from '../../../lib/internal/scheduleTimeout.js';
import { unwrapTransfers } from '../transfer.js';
import type { TaskRef } from './protocol.js';
import { deserializeFailure } from './wireErrors.js';
import { rememberZone, runInZone, zoneOf, zonesInUse } from '../../../lib/internal/zones.js';
import type { Answer, HeldCall, Job, LinkCall, WorkerLink } from './WorkerLink.js';

/** What the owner of a {@link LinkClient} is told. */
export interface LinkClientEvents {
  /** A cancelled call ignored its signal for the whole grace period; it has been settled `cancelled`. */
  graceExpired?(): void;
  /** The last call in flight ended. */
  idle?(): void;
}

/**
 * Calls sent over one {@link WorkerLink}, in order, and answered by its far end, as pendings and
 * streams: what ThreadCaller, ProcessCaller and a worker's handles on the callers of its starting thread
 * share. From sending to settling it owns each call: cancelling one takes it back if the far end has not
 * begun it, else aborts the task's signal over there, and settles it `cancelled` after the grace period
 * (Infinity: never) if the task ignores that. (A pool spreads calls over many links instead: it has its own.)
 */
export class LinkClient {
  /** Calls sent and not ended, for a crash or a forced stop. */
  private readonly calls = new Set<ClientCall>();

  constructor(
    public link: WorkerLink,
    private readonly cancelGrace: () => number,
    private readonly events: LinkClientEvents = {},
  ) {}

  /**
   * Goes on over `link` (a new far end, the old one being terminated): the calls the old far end had not
   * begun are taken back and sent again, in order; the others stay with it until it has gone.
   */
  relink(link: WorkerLink): void {
    const old = this.link;
    this.link = link;
    for (const job of [...old.jobs.values()]) {
      const call = job.call as ClientCall | undefined;
      if (call === undefined || call.transfer !== undefined || old.started(job) || !old.revoke(job)) continue;
      call.job = link.send(call);
    }
  }
  /** Sends `ref(...args)`, run `delay` ms after it arrives (timed over there); settles `pending` with the outcome. */
  call(ref: TaskRef, args: readonly unknown[], delay: number, pending: Pending<unknown>): void {
    const { args: sent, list } = unwrapTransfers(args);
    const call = new PendingCall(this, ref, sent, list, delay, pending);
    pending.setCanceller((reason) => this.cancel(call, reason));
    call.job = this.link.send(call);
    this.calls.add(call);
  }

  /**
   * The values `ref(...args)` streams over there, one call per subscription; unsubscribing stops the
   * stream over there. `refuse` may give an error to end a new subscriber with instead.
   */
  observe(ref: TaskRef, args: readonly unknown[], refuse: () => Error | undefined): Observable<unknown> {
    const { args: sent, list } = unwrapTransfers(args);
    return new Observable<unknown>((subscriber) => {
      const refusal = refuse();
      if (refusal !== undefined) {
        subscriber.error(refusal);
        return undefined;
      }
      const call = new StreamCall(this, ref, sent, list, subscriber);
      call.job = this.link.send(call);
      this.calls.add(call);
      return () => {
        if (!this.calls.has(call)) return;
        this.calls.delete(call);
        const job = call.job;
        if (job !== undefined && job.link.state !== 'gone') job.link.cancel(job, 'unsubscribed');
      };
    });
  }

  /** The far end is going: every call still waiting ends cancelled now. */
  cancelAll(reason: string): void {
    for (const call of [...this.calls]) call.cancelNow(reason);
  }

  /** The far end died holding these calls: each fails with `error(call)`. */
  failHeld(held: readonly HeldCall[], error: (call: LinkCall) => unknown): void {
    for (const { call } of held) (call as ClientCall).fail(error(call));
  }

  /** @internal A call ended (answered, failed or cancelled). */
  _forget(call: ClientCall): void {
    if (this.calls.delete(call) && this.calls.size === 0) this.events.idle?.();
  }

  /** @internal */
  _graceExpired(): void {
    this.events.graceExpired?.();
  }

  /** @internal Stops waiting for a call's answer (its task ignored its cancellation). */
  _abandon(job: Job): void {
    job.link.abandon(job);
  }

  private cancel(call: PendingCall, reason: string): void {
    const job = call.job;
    if (job === undefined || job.link.state === 'gone' || job.link.cancel(job, reason) === 'revoked') {
      call.end();
      call.pending._settleCancelled();
      return;
    }
    call.startGrace(this.cancelGrace());
  }
}

/** One call of a LinkClient. */
abstract class ClientCall implements LinkCall {
  abstract readonly mode: 'call' | 'observe';
  job: Job | undefined;

  constructor(
    protected readonly owner: LinkClient,
    readonly ref: TaskRef,
    readonly args: readonly unknown[],
    readonly transfer: object[] | undefined,
    readonly delay: number,
  ) {
    rememberZone(this);
  }

  // Answers arrive in the zone the link was opened in: with zone.js, each call ends in its own caller's
  // zone (the zone current when it was made or subscribed).

  answer(message: Answer): void {
    if (zonesInUse()) runInZone(zoneOf(this), (m) => this.answerHere(m), message);
    else this.answerHere(message);
  }

  fail(error: unknown): void {
    if (zonesInUse()) runInZone(zoneOf(this), (e) => this.failHere(e), error);
    else this.failHere(error);
  }

  cancelNow(reason: string): void {
    if (zonesInUse()) runInZone(zoneOf(this), (r) => this.cancelHere(r), reason);
    else this.cancelHere(reason);
  }

  protected abstract answerHere(message: Answer): void;
  protected abstract failHere(error: unknown): void;
  protected abstract cancelHere(reason: string): void;

  end(): void {
    this.job = undefined;
    this.owner._forget(this);
  }
}

class PendingCall extends ClientCall {
  readonly mode = 'call';
  private grace: Subscription | undefined;

  constructor(owner: LinkClient, ref: TaskRef, args: readonly unknown[], transfer: object[] | undefined, delay: number, readonly pending: Pending<unknown>) {
    super(owner, ref, args, transfer, delay);
  }

  protected answerHere(message: Answer): void {
    this.end();
    if (message.type === 'result') this.pending.setResult(message.value);
    else if (message.type === 'error') this.pending.setException(deserializeFailure(message.failure));
    else if (message.type === 'cancelled') this.pending._settleCancelled();
  }

  protected failHere(error: unknown): void {
    this.end();
    this.pending.setException(error);
  }

  protected cancelHere(reason: string): void {
    this.end();
    this.pending.cancel(reason);
    this.pending._settleCancelled();
  }

  override end(): void {
    this.grace?.unsubscribe();
    this.grace = undefined;
    super.end();
  }

  startGrace(ms: number): void {
    this.grace ??= scheduleTimeout(asyncScheduler, ms, () => {
      // The task ignores its signal: stop waiting for it, and let the owner deal with its busy far end.
      if (this.job !== undefined) this.owner._abandon(this.job);
      this.end();
      this.pending._settleCancelled();
      this.owner._graceExpired();
    });
  }
}

class StreamCall extends ClientCall {
  readonly mode = 'observe';

  constructor(owner: LinkClient, ref: TaskRef, args: readonly unknown[], transfer: object[] | undefined, private readonly subscriber: Subscriber<unknown>) {
    super(owner, ref, args, transfer, 0);
  }

  protected answerHere(message: Answer): void {
    switch (message.type) {
      case 'next':
        this.subscriber.next(message.value);
        return;
      case 'complete':
        this.end();
        this.subscriber.complete();
        return;
      case 'error':
        this.end();
        this.subscriber.error(deserializeFailure(message.failure));
        return;
      case 'cancelled':
        this.end();
        this.subscriber.error(new PendingCancelled(['the stream was cancelled where it ran']));
        return;
    }
  }

  protected failHere(error: unknown): void {
    this.end();
    this.subscriber.error(error);
  }

  protected cancelHere(reason: string): void {
    this.end();
    this.subscriber.error(new PendingCancelled([reason]));
  }
}

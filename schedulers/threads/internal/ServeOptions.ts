import type { Observable } from 'rxjs';
import type { Pending } from '../../../lib/Pending.js';
import type { InitMessage, TaskRef } from './protocol.js';

/** The caller that runs a link's calls in order (a `Caller`; typed by what is used here). */
export interface WorkerCaller {
  scheduleCall(fn: (...args: never[]) => unknown, args: unknown[], options?: { metadata?: Record<string, unknown>; track?: boolean }): Pending<unknown>;
  callLater(delay: number, fn: (...args: never[]) => unknown, ...args: unknown[]): Pending<unknown>;
  stop(options?: { force?: boolean }): unknown;
  readonly stopped: Pending<void>;
}

/**
 * A caller of another thread that calls are passed on to rather than run here: `Caller.main()` inside a
 * worker, when a worker this thread started calls its own `Caller.main()`.
 */
export interface Relay {
  /** @internal Passes a call on; cancelling the pending cancels it over there. */
  _relayCall(ref: TaskRef, args: readonly unknown[]): Pending<unknown>;
  /** @internal Passes a stream on; unsubscribing stops it over there. */
  _relayObserve(ref: TaskRef, args: readonly unknown[]): Observable<unknown>;
}

export interface ServeOptions {
  /** This thread's id, reported to the client. */
  readonly threadId: number;
  /** The caller pool calls run on: the thread's `Caller.current()`. */
  currentCaller(): object;
  /**
   * The caller that runs the calls of a link served in order: for a ThreadCaller (mode 'caller') a new
   * one named as it; for a conversation opened back ('main', 'parent') the one it targets, or a Relay
   * when that caller lives on yet another thread.
   */
  callerFor(init: InitMessage): WorkerCaller | Relay;
  /** Told the link's first message, before any call runs (the worker entry sets up its handles then). */
  onInit?(init: InitMessage): void;
  /**
   * Registers what to run when the thread is about to exit (`process.exit()` in a task): answers still
   * waiting in the outbox are sent then. Absent where there is no such hook (in-process tests).
   */
  onThreadExit?(flush: () => void): void;
}

/** Whether `callerFor` gave a caller of yet another thread (calls are passed on) rather than one to run them on. */
export function isRelay(target: WorkerCaller | Relay): target is Relay {
  return typeof (target as Partial<Relay>)._relayCall === 'function';
}

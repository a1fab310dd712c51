import type { Pending } from '../lib/Pending.js';
import type { Backend } from './internal/backends.js';

/** The life of a caller; it only moves forward. */
export type CallerState = 'initial' | 'running' | 'stopping' | 'stopped';

/** Options of `new Caller()`. */
export interface CallerOptions {
  /** Shown by `toString()` and used by `parent.get({ name })`. @default `caller-<id>` */
  name?: string;
  /** Where the caller's time comes from. @default 'asap' */
  backend?: Backend;
  /** `stop()` is a no-op unless called with `{ force: true }`. @default false */
  protected?: boolean;
}

/** Options of `caller.scheduleCall()`. */
export interface ScheduleCallOptions {
  /** Extra metadata stored on the call's pending (beside `fn`, `args`, `caller`). */
  metadata?: Record<string, unknown>;
  /** Whether the call joins the current PendingGroup. @default true */
  track?: boolean;
  /** Run this call through another backend (one timer for this call) instead of the caller's queue. */
  backend?: Backend;
}

/** Children are same-thread callers or callers on other threads; both stop with their parent. */
export interface ChildCaller {
  readonly name: string;
  readonly stopped: Pending<void>;
  stop(options?: { force?: boolean }): Pending<void>;
}

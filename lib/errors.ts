/**
 * The named errors of rxjs-caller. Each has `name` set to its class name (so it survives structured
 * cloning and realm boundaries, where `instanceof` does not), an actionable `message` and, where there
 * is one, a `cause`.
 */
import { isBranded } from './internal/brand.js';

/**
 * The base of the errors below (not exported from the package): `instanceof` one of them also accepts
 * the same error made by the other build of the package (see lib/internal/brand.ts).
 */
export abstract class BrandedError extends Error {
  /** @internal */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(this, value);
  }
  /** @internal Each error's brand is its `name`, which is its class name. */
  get __rxjsCaller(): string {
    return this.name;
  }
}

/** Options accepted by every rxjs-caller error. */
export interface CallerErrorOptions {
  cause?: unknown;
}

/**
 * Thrown by `await`, `result()` or a subscription when a {@link Pending} was cancelled.
 *
 * @example
 * import { Pending, PendingCancelled } from 'rxjs-caller';
 * const p = new Pending<number>();
 * p.cancel('user left');
 * await p.catch((e) => e instanceof PendingCancelled); // true; e.message names 'user left'
 */
export class PendingCancelled extends BrandedError {
  override readonly name: 'PendingCancelled' = 'PendingCancelled';
  /** Every reason given to `cancel()`, in order. */
  readonly reasons: readonly string[];
  constructor(reasons: readonly string[] = [], options?: CallerErrorOptions) {
    const given = reasons.filter((r) => r !== '');
    // No stack trace: a cancellation is a request whose reasons say where it came from, not a fault in
    // the code that reads it, and capturing a stack costs 3-5 µs (per call, when a stop() cancels 100 000).
    const limit = Error.stackTraceLimit;
    if (typeof limit === 'number') Error.stackTraceLimit = 0;
    super(given.length ? `Pending was cancelled: ${given.join('; ')}` : 'Pending was cancelled', options);
    if (typeof limit === 'number') Error.stackTraceLimit = limit;
    this.reasons = given;
  }
}

/** Thrown by `result()` / `exception()` on a {@link Pending} that has not settled yet. */
export class PendingNotDone extends BrandedError {
  override readonly name: 'PendingNotDone' = 'PendingNotDone';
  constructor(message = 'Pending is not done yet: await it, subscribe to it, or check `done` before reading `result()`', options?: CallerErrorOptions) {
    super(message, options);
  }
}

/** Rejects `pending.wait({ timeout })` when the pending has not settled within `timeout` ms. */
export class PendingTimeout extends BrandedError {
  override readonly name: 'PendingTimeout' = 'PendingTimeout';
  /** The timeout that elapsed, in milliseconds. */
  readonly timeout: number;
  constructor(timeout: number, options?: CallerErrorOptions) {
    super(`Pending did not settle within ${timeout} ms`, options);
    this.timeout = timeout;
  }
}

/**
 * A pending awaited, gathered or waited on by its own work, directly or through a cycle of pendings
 * waiting on each other. It would never settle, so it fails at once instead of hanging.
 */
export class DeadlockError extends BrandedError {
  override readonly name: 'DeadlockError' = 'DeadlockError';
  constructor(message = 'Deadlock: a pending cannot wait for itself (directly or through a cycle of pendings waiting on each other)', options?: CallerErrorOptions) {
    super(message, options);
  }
}

/** Rejects a {@link PendingGroup} whose members failed; `errors` holds every member error. */
export class PendingGroupError extends AggregateError {
  /** @internal `instanceof` across the ESM and CJS builds (lib/internal/brand.ts). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(this, value);
  }
  /** @internal */
  get __rxjsCaller(): string {
    return 'PendingGroupError';
  }
  override readonly name: 'PendingGroupError' = 'PendingGroupError';
  constructor(errors: Iterable<unknown>, message?: string, options?: CallerErrorOptions) {
    const list = [...errors];
    super(list, message ?? `${list.length} member${list.length === 1 ? '' : 's'} of the pending group failed: ${list.map(describeError).join('; ')}`, options);
  }
}

/** Rejects every call a worker held when that worker crashed, exited or was terminated. */
export class WorkerCrashedError extends BrandedError {
  override readonly name: 'WorkerCrashedError' = 'WorkerCrashedError';
  constructor(message = 'The worker running this call crashed or exited before answering', options?: CallerErrorOptions) {
    super(message, options);
  }
}

/** Thrown or used as a cancellation cause when work is offered to a caller that is stopping or stopped. */
export class CallerStoppedError extends BrandedError {
  override readonly name: 'CallerStoppedError' = 'CallerStoppedError';
  constructor(message = 'The caller is stopped: it accepts no more calls', options?: CallerErrorOptions) {
    super(message, options);
  }
}

/** @internal An error as `Name: message` in a sentence (anything else as a string). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

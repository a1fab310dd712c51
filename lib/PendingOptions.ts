/** The life of a {@link Pending}: it moves forward only, and ends in one of the three last states. */
export type PendingState = 'pending' | 'cancelling' | 'fulfilled' | 'rejected' | 'cancelled';

/** Options of `new Pending()`. */
export interface PendingOptions {
  /** Kept as given; callers store `fn`, `args` and `caller` here. @default {} */
  metadata?: Record<string, unknown>;
  /** Opt out of cancellation when the last subscriber unsubscribes. @default false */
  protect?: boolean;
  /** An outside signal: aborting it cancels the pending. The listener is removed at settlement. */
  signal?: AbortSignal;
}

/** Options of {@link Pending.from}. */
export interface PendingFromOptions<T> {
  /** Opt out of cancellation when the last subscriber unsubscribes. @default false */
  protect?: boolean;
  /** The result when the source completes without a value (else it rejects with rxjs's `EmptyError`). */
  defaultValue?: T;
}

/** Options of {@link Pending.wait}. */
export interface PendingWaitOptions {
  /** Reject with `PendingTimeout` after this many ms. @default no timeout */
  timeout?: number;
  /** On timeout, leave the pending running instead of cancelling it. @default false */
  protect?: boolean;
}

// A Pending's states as small integers: compared on every settlement, mapped to names only when read.
import type { PendingState } from '../PendingOptions.js';

export const PENDING = 0;
export const CANCELLING = 1;
export const FULFILLED = 2;
export const REJECTED = 3;
export const CANCELLED = 4;
export const STATE_NAMES: readonly PendingState[] = ['pending', 'cancelling', 'fulfilled', 'rejected', 'cancelled'];

/** `_flags` bits: no refcount cancellation. */
export const PROTECTED = 1;
/** `_flags` bits: something observed the outcome (for unobserved-failure reports). */
export const OBSERVED = 2;
/** `_flags` bits: a combinator holds the failure for a consumer it has not handed it to yet (wait's `done` set): no report until released. */
export const HELD = 4;
/** `_flags` bits: settled while another settlement's listeners ran: its own listeners wait their turn. */
export const DISPATCH_DUE = 8;

import { PendingCancelled } from '../errors.js';
import type { Pending } from '../Pending.js';
import { CANCELLED, CANCELLING, FULFILLED } from './pendingStates.js';
import { reportError } from './report.js';

/**
 * A cancel request: `pending.cancel(reason)`, where `shared` (when given) is the PendingCancelled for
 * exactly `[reason]`, made once for many pendings cancelled for the same reason (a caller's `stop()`): a
 * pending that settles cancelled at once then carries it instead of making its own.
 * @returns `true` if the pending is now cancelled or cancelling, `false` if it had already settled otherwise.
 */
export function cancelPending(pending: Pending<unknown>, reason: string, shared: PendingCancelled | undefined): boolean {
  if (pending._s >= FULFILLED) return pending._s === CANCELLED;
  const reasons = pending._reasons;
  // Stryker disable next-line ConditionalExpression: `shared` carries exactly `[reason]`, so a fresh `[reason]` holds the same reasons (only one array more)
  if (reasons === undefined) pending._reasons = shared === undefined ? [reason] : (shared.reasons as string[]);
  else {
    reasons.push(reason);
    shared = undefined;
  }
  if (pending._s === CANCELLING) return true;
  // From here on any settlement ends `cancelled`, even one made by an abort listener below.
  pending._s = CANCELLING;
  pending._abort?.abort(shared ?? new PendingCancelled(pending._reasons));
  // An abort listener that settled the pending also cleared the canceller: it is then not called.
  const canceller = pending._canceller;
  if (canceller === undefined) {
    pending._settleCancelled(shared);
    return true;
  }
  callCanceller(pending, canceller, reason);
  return true;
}

/**
 * `pending.setCanceller(canceller)`, checked: a pending already `cancelling` hands the canceller its
 * reasons at once; a settled one ignores it.
 */
export function installCanceller(pending: Pending<unknown>, canceller: (reason: string) => void): void {
  // A settled pending never calls a canceller: storing one would only keep the work's closure alive.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the stored canceller of a settled pending is never called
  if (pending._s >= FULFILLED) return;
  // A pending is `cancelling` only after a cancel request recorded its reasons.
  if (pending._s === CANCELLING) callCanceller(pending, canceller, pending._reasons!.join('; '));
  else pending._canceller = canceller;
}

function callCanceller(pending: Pending<unknown>, canceller: (reason: string) => void, reason: string): void {
  try {
    canceller(reason);
  } catch (error) {
    // The canceller could not carry the request, so nothing is left to settle the pending: it ends
    // cancelled now rather than `cancelling` forever.
    reportError(error, pending);
    pending._settleCancelled();
  }
}

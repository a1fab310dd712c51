import type { Pending } from '../Pending.js';
import { currentFrame } from './context.js';
import { threadState } from './threadState.js';

/** What a pending group offers to the callers that make pendings inside its context. */
export interface GroupLike {
  /** @internal Takes `pending` as a member; the group then waits for it and cancels it with the group. */
  _adopt(pending: Pending<unknown>): void;
}

/**
 * Called by every caller when it makes the pending of a call: if the code making it runs inside a
 * group's context (the group's body or any call made from it, across awaits in Node), the new pending
 * joins that group and passes membership on to the calls its own work makes.
 */
export function joinCurrentGroup(pending: Pending<unknown>): void {
  // Stryker disable next-line ConditionalExpression: before any group exists no frame carries one; the check only saves reading the frame
  if (!threadState.groupMade) return;
  const group = currentFrame()?.pending?._group;
  if (group !== undefined) {
    pending._group = group;
    group._adopt(pending);
  }
}

import type { PendingCancelled } from '../../lib/errors.js';
import { runBatchWork, runInFrame } from '../../lib/internal/context.js';
import { cancelPending } from '../../lib/internal/cancellation.js';
import { reportError } from '../../lib/internal/report.js';
import { currentZone, rememberZone, zoneOf, zonesInUse, type ZoneLike } from '../../lib/internal/zones.js';
import type { Caller } from '../Caller.js';
import type { CallerCore } from './CallerCore.js';
import { CallerAction } from './CallerAction.js';
import type { CallPending } from './CallPending.js';

/**
 * What a caller's one queue holds, and how each kind runs: a call's pending (in its own context frame), a
 * scheduled action (only its last queue entry runs, so a re-queued action runs at its new place), or a
 * `callDirect` call (no pending; errors are reported).
 */
export type QueueItem = CallerAction<unknown> | CallPending<unknown> | DirectCall;

/** A `callDirect` call. */
export class DirectCall {
  constructor(
    readonly fn: (...args: never[]) => unknown,
    readonly args: unknown[],
  ) {
    rememberZone(this);
  }
}

/** Runs one item of `caller`'s batch (see runBatch): a call in its own frame, other work in the caller's. */
export function runQueued(item: QueueItem, caller: CallerCore): void {
  if (zonesInUse()) {
    const zone = zoneToRun(item);
    if (zone !== undefined && zone !== currentZone()) return zone.run(runQueued, undefined, [item, caller]);
  }
  // Plain classes first: `instanceof CallPending` is a branded check (lib/internal/brand.ts), slower on
  // the one path every queued item takes.
  if (item instanceof CallerAction) {
    if (item._leaveQueue()) runBatchWork(caller._frame, runAction, item);
  } else if (item instanceof DirectCall) {
    runBatchWork(caller._frame, runDirect, item);
  } else if (!item.done) {
    // Stryker disable next-line BooleanLiteral: a call's pending is never the current frame, so reading it first only costs time
    runBatchWork(item, runCall, item, true);
  }
}

function runAction(action: CallerAction<unknown>): void {
  action._run();
}

function runDirect(call: DirectCall): void {
  try {
    (call.fn as (...a: unknown[]) => unknown)(...call.args);
  } catch (error) {
    // No pending to carry it: the one error sink (DESIGN §7), and the queue goes on.
    reportError(error);
  }
}

/** Cancels a queued item; `shared`, when given, is the PendingCancelled of `[reason]` its pending may carry. */
export function cancelQueued(item: QueueItem, reason: string, shared?: PendingCancelled): void {
  if (item instanceof CallerAction) item.unsubscribe();
  else if (!(item instanceof DirectCall)) cancelPending(item, reason, shared);
}

function runCall(pending: CallPending<unknown>): void {
  let result: unknown;
  let then: unknown;
  try {
    const args = pending._args!;
    // No spread for the common call without arguments (a spread call goes through the iteration protocol).
    // Stryker disable next-line ConditionalExpression: spreading no arguments calls `fn` the same way, only slower
    result = args.length ? (pending._fn as (...a: unknown[]) => unknown)(...args) : (pending._fn as () => unknown)();
    // `then` is read once, as promise resolution does: a throwing getter fails the call like a throw.
    if (result !== null && (typeof result === 'object' || typeof result === 'function')) then = (result as PromiseLike<unknown>).then;
  } catch (error) {
    pending.setException(error);
    return;
  }
  if (typeof then === 'function') (pending._caller as Caller)._awaitResult(pending, result as PromiseLike<unknown>, then as PromiseLike<unknown>['then']);
  else pending.setResult(result);
}

/** Runs a call whose timer fired (`callLater`, another backend), in its zone. */
export function fireDelayedCall(pending: CallPending<unknown>): void {
  // A custom backend's timer may fire though cancelled: a settled call never runs.
  if (pending.done) return;
  if (zonesInUse()) runQueued(pending, pending._caller as CallerCore);
  else runInFrame(pending, runCall, pending);
}

/**
 * Where zone.js is loaded, the zone an item runs in: the one current when it was queued — except that the
 * work of a caller given a zone of its own (Angular's `zone: 'outside'`) runs there. Scheduled actions
 * deliver values to their subscribers, so they always run where they were scheduled.
 */
function zoneToRun(item: QueueItem): ZoneLike | undefined {
  if (item instanceof CallerAction || item instanceof DirectCall) return zoneOf(item);
  return zoneOf(item._caller) ?? zoneOf(item);
}

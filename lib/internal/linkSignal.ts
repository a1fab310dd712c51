import type { Pending } from '../Pending.js';
import { got, holds } from './validate.js';

/** `new Pending({ signal })`: aborting the signal cancels the pending; the listener goes at settlement. */
export function linkSignal(pending: Pending<unknown>, signal: AbortSignal): void {
  // null is an object too: reading its addEventListener throws, which holds() answers with false.
  if (typeof signal !== 'object' || !holds(() => typeof signal.addEventListener === 'function')) {
    throw new TypeError(`Expected \`options.signal\` to be an AbortSignal, got ${got(signal)}`);
  }
  const onAbort = () => pending.cancel(signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'signal aborted'));
  if (signal.aborted) {
    onAbort();
    return;
  }
  // No `once`: an AbortSignal aborts once, and the listener goes when the pending settles.
  signal.addEventListener('abort', onAbort);
  pending._addPassiveCallback(() => signal.removeEventListener('abort', onAbort));
}

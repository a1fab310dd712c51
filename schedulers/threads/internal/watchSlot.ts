import type { Pending } from '../../../lib/Pending.js';
import { CANCEL } from './slots.js';

const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;

/**
 * Makes `signal.aborted` (and `signal.throwIfAborted()`) of a call running in a worker also read the
 * call's shared slot: a task busy in a synchronous loop never gets to see the cancel message, but it
 * sees the flag the calling thread set. Reading it cancels `pending` here, so abort listeners run too.
 */
export function watchSlot(signal: AbortSignal, pending: Pending<unknown>, slots: Int32Array, slot: number): void {
  const check = () => {
    // Once the call has settled its slot may serve another call: stop looking.
    if (!pending.cancelled && !pending.done && (Atomics.load(slots, slot) & CANCEL) !== 0) pending.cancel('cancelled by the calling thread');
  };
  Object.defineProperty(signal, 'aborted', {
    configurable: true,
    get() {
      check();
      return abortedGetter.call(signal) as boolean;
    },
  });
  Object.defineProperty(signal, 'throwIfAborted', {
    configurable: true,
    writable: true,
    value() {
      check();
      AbortSignal.prototype.throwIfAborted.call(signal);
    },
  });
}

/** For a pending made elsewhere (a caller's): the same, installed when its `signal` is first read. */
export function watchSlotOf(pending: Pending<unknown>, slots: Int32Array, slot: number): void {
  const getter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(pending), 'signal')?.get ?? signalGetter(pending);
  let signal: AbortSignal | undefined;
  Object.defineProperty(pending, 'signal', {
    configurable: true,
    get() {
      if (signal === undefined) {
        signal = getter.call(pending) as AbortSignal;
        watchSlot(signal, pending, slots, slot);
      }
      return signal;
    },
  });
}

function signalGetter(pending: object): () => unknown {
  for (let proto = Object.getPrototypeOf(pending); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const get = Object.getOwnPropertyDescriptor(proto, 'signal')?.get;
    if (get) return get;
  }
  throw new TypeError('A pending without a signal getter');
}

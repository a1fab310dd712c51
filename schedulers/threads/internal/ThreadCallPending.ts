import { Pending } from '../../../lib/Pending.js';
import type { Frame } from '../../../lib/internal/threadState.js';
import { watchSlot } from './watchSlot.js';

/**
 * Inside a pool worker: the pending of one call, which is also its context frame (so
 * `Caller.currentPending()` is this pending and `Caller.current()` the worker's caller). Its signal
 * also reads the call's shared slot, made when a task first asks for it.
 */
export class ThreadCallPending extends Pending<unknown> implements Frame {
  /** @internal */ _watched = false;

  constructor(
    /** @internal */ readonly _caller: object,
    /** @internal the call's id on the link */ readonly _id: number,
    /** @internal */ readonly _slots: Int32Array | undefined,
    /** @internal */ readonly _slot: number,
  ) {
    super();
  }

  get caller(): object {
    return this._caller;
  }

  get pending(): Pending<unknown> {
    return this;
  }

  override get signal(): AbortSignal {
    const signal = super.signal;
    if (!this._watched && this._slots !== undefined && this._slot >= 0) {
      this._watched = true;
      watchSlot(signal, this, this._slots, this._slot);
    }
    return signal;
  }
}

import { Pending } from '../../lib/Pending.js';
import type { Frame } from '../../lib/internal/threadState.js';

/**
 * The pending of one call made through a caller. It is also the call's context frame (`caller` and
 * `pending` getters), so running a call needs no allocation beyond the pending itself. Its metadata
 * (`fn`, `args`, `caller`) is built only when someone reads it.
 */
export class CallPending<T> extends Pending<T> implements Frame {
  /** @internal */ _caller: object;
  /** @internal a function, or the ThreadTask of a `toThread` call */ _fn: ((...args: never[]) => unknown) | object | undefined;
  /** @internal */ _args: readonly unknown[] | undefined;

  constructor(caller: object, fn: ((...args: never[]) => unknown) | object | undefined, args: readonly unknown[] | undefined, metadata?: Record<string, unknown>) {
    super();
    this._caller = caller;
    this._fn = fn;
    this._args = args;
    // Stryker disable next-line ConditionalExpression: with no metadata given, this builds at once what the getter builds on first read
    if (metadata !== undefined) this._metadata = { ...metadata, fn, args, caller };
  }

  /** Frame: the caller running this call. */
  get caller(): object {
    return this._caller;
  }

  /** Frame: the pending whose work runs. */
  get pending(): Pending<unknown> {
    return this;
  }

  override get metadata(): Record<string, unknown> {
    return (this._metadata ??= { fn: this._fn, args: this._args, caller: this._caller });
  }
}

import { Pending } from '../../lib/Pending.js';
import { FULFILLED } from '../../lib/internal/pendingStates.js';
import type { Frame } from '../../lib/internal/threadState.js';
import { resolved } from '../../lib/internal/resolved.js';

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

  /**
   * An `await` of a call that has run (its value a primitive) takes one reaction on a shared resolved
   * promise, which hands the value to the handler, where Pending's `then` first makes a promise of it: one
   * promise less per await (~30 ns each under Node 20's promise hooks). The reaction is made here, so the
   * handler runs asynchronously in the async context of this call, as a native reaction does (and in its
   * zone, as the asap rounds' reactions do). Anything else takes Pending's `then`: unsettled or failed, a
   * promise of it made already (its reactions keep their order), an object value or null (`Promise.resolve`
   * would adopt an object if it were a thenable), or no handler.
   */
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    const value = this._v as T;
    // (A fulfilled pending needs no OBSERVED mark: only failures are reported as unobserved.)
    if (this._s === FULFILLED && !this._promise && typeof onfulfilled === 'function' && typeof value !== 'object' && typeof value !== 'function') {
      return resolved.then(() => onfulfilled(value));
    }
    return super.then(onfulfilled, onrejected);
  }

  override get metadata(): Record<string, unknown> {
    return (this._metadata ??= { fn: this._fn, args: this._args, caller: this._caller });
  }
}

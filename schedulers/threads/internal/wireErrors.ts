import { ArgumentOutOfRangeError, EmptyError, NotFoundError, ObjectUnsubscribedError, SequenceError, TimeoutError, UnsubscriptionError } from 'rxjs';
import { CallerStoppedError, DeadlockError, PendingCancelled, PendingGroupError, PendingNotDone, PendingTimeout, WorkerCrashedError } from '../../../lib/errors.js';
import type { SerializedError, WireFailure, WorkerMessage } from './protocol.js';

/**
 * Errors cross threads as plain data and are rebuilt on the other side, because structured cloning
 * keeps only the built-in error classes (and drops `cause` on older hosts). A rebuilt error keeps the
 * `name`, `message`, `stack` and `cause`; when the receiving thread knows a class of that name (the
 * built-ins, rxjs-caller's and rxjs's errors) the error is an instance of it, else a plain `Error`
 * whose `name` still says what it was.
 */

type ErrorClass = { prototype: Error };
const KNOWN: Record<string, ErrorClass> = {
  Error,
  TypeError,
  RangeError,
  ReferenceError,
  SyntaxError,
  EvalError,
  URIError,
  AggregateError,
  PendingCancelled,
  PendingNotDone,
  PendingTimeout,
  DeadlockError,
  PendingGroupError,
  WorkerCrashedError,
  CallerStoppedError,
  EmptyError: EmptyError as unknown as ErrorClass,
  TimeoutError: TimeoutError as unknown as ErrorClass,
  ArgumentOutOfRangeError: ArgumentOutOfRangeError as unknown as ErrorClass,
  NotFoundError: NotFoundError as unknown as ErrorClass,
  SequenceError: SequenceError as unknown as ErrorClass,
  ObjectUnsubscribedError: ObjectUnsubscribedError as unknown as ErrorClass,
  UnsubscriptionError: UnsubscriptionError as unknown as ErrorClass,
};

const OWN_FIELDS = new Set(['name', 'message', 'stack', 'cause', 'errors']);

/** Whether `value` is an error, from this realm or another (jest's sandbox, a worker's clone). */
export function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

/** Turns anything thrown into data that is sure to survive `postMessage`. */
export function serializeFailure(thrown: unknown, depth = 0): WireFailure {
  if (!isErrorLike(thrown)) {
    return isCloneable(thrown) ? { value: thrown } : { error: { name: 'Error', message: `A non-cloneable value was thrown: ${describe(thrown)}`, stack: undefined } };
  }
  const error = thrown as Error & { cause?: unknown; errors?: unknown };
  let stack: string | undefined;
  let message: string;
  let name: string;
  try {
    stack = typeof error.stack === 'string' ? error.stack : undefined;
    message = String(error.message);
    name = String(error.name);
  } catch {
    return { error: { name: 'Error', message: 'An error whose fields cannot be read was thrown', stack: undefined } };
  }
  const out: { -readonly [K in keyof SerializedError]: SerializedError[K] } = { name, message, stack };
  // Deep cause chains are cut so a cyclic cause can never recurse forever.
  if (depth < 8) {
    if ('cause' in error && error.cause !== undefined) out.cause = serializeFailure(error.cause, depth + 1);
    if (Array.isArray(error.errors)) out.errors = error.errors.map((e) => serializeFailure(e, depth + 1));
  }
  let props: Record<string, unknown> | undefined;
  for (const key of Object.keys(error)) {
    if (OWN_FIELDS.has(key)) continue;
    const value = (error as unknown as Record<string, unknown>)[key];
    if (isCloneable(value)) (props ??= {})[key] = value;
  }
  if (props !== undefined) out.props = props;
  return { error: out };
}

/** Rebuilds what {@link serializeFailure} made. */
export function deserializeFailure(failure: WireFailure): unknown {
  if ('value' in failure) return failure.value;
  const data = failure.error;
  const ctor = Object.prototype.hasOwnProperty.call(KNOWN, data.name) ? KNOWN[data.name]! : Error;
  const error = Object.create(ctor.prototype) as Error;
  define(error, 'message', data.message);
  define(error, 'name', data.name);
  define(error, 'stack', data.stack ?? `${data.name}: ${data.message}`);
  if (data.cause !== undefined) define(error, 'cause', deserializeFailure(data.cause));
  if (data.errors !== undefined) define(error, 'errors', data.errors.map(deserializeFailure));
  if (data.props !== undefined) Object.assign(error, data.props);
  return error;
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
}

function isCloneable(value: unknown): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')) return true;
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  try {
    return typeof value === 'function' ? `function ${value.name || 'anonymous'}` : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** An answer for a call whose own answer could not be cloned (an uncloneable result or stream value). */
export function uncloneableAnswer(message: WorkerMessage, error: unknown): WorkerMessage | undefined {
  if (message.type !== 'result' && message.type !== 'next' && message.type !== 'error') return undefined;
  const what = message.type === 'error' ? 'error' : message.type === 'next' ? 'a streamed value' : 'result';
  const reason = new TypeError(`The ${what} of this thread call could not be sent back (it must be structured-cloneable: no functions, no class instances with private state): ${(error as Error)?.message ?? String(error)}`);
  return { type: 'error', id: message.id, failure: serializeFailure(reason) };
}

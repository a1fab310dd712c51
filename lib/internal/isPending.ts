import { Pending } from '../Pending.js';

/** Whether `value` is a Pending; false for a hostile value that throws when asked (a Proxy whose getPrototypeOf throws). */
export function isPending(value: unknown): value is Pending<unknown> {
  try {
    return value instanceof Pending;
  } catch {
    return false;
  }
}

/**
 * Tasks for the in-process thread tests: the "worker" is this very thread, so these tasks share state
 * with the test (jest loads this module once for both) and synchronise through promises it controls.
 */
import { Caller } from '../../schedulers/Caller.js';

interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

const gates = new Map<string, Gate>();
/** Labels of the calls that started, in order. */
export const started: string[] = [];

export function gate(name: string): Gate {
  let g = gates.get(name);
  if (g === undefined) {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    gates.set(name, (g = { opened, open }));
  }
  return g;
}

export function reset(): void {
  gates.clear();
  started.length = 0;
}

/** Waits until `name` is waited on by a task (resolves when the task has started). */
export function whenStarted(label: string): Promise<void> {
  return gate(`started:${label}`).opened;
}

/** Records its start, then waits for the gate of its label. */
export async function held(label: string): Promise<string> {
  started.push(label);
  gate(`started:${label}`).open();
  await gate(label).opened;
  return label;
}

/** Records its start and ends when its signal aborts. */
export function heldUntilAborted(label: string): Promise<string> {
  started.push(label);
  const signal = Caller.currentPending()!.signal;
  gate(`started:${label}`).open();
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
}

/** Records its start and never ends, whatever happens to its signal. */
export function stuck(label: string): Promise<never> {
  started.push(label);
  gate(`started:${label}`).open();
  return new Promise<never>(() => {});
}

export function echo<T>(value: T): T {
  return value;
}

export function label(value: string): string {
  started.push(value);
  return value;
}

export function fail(message: string): never {
  throw new TypeError(message, { cause: new Error('deeper') });
}

export function returnsFunction(): () => void {
  return () => {};
}

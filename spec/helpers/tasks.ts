/**
 * Task module for the thread tests: loaded inside worker threads (through tsx) and, for the in-process
 * tests, by jest itself. Tasks synchronise with the test through SharedArrayBuffers, never by sleeping.
 */
import { threadId } from 'node:worker_threads';
import { Observable, interval, map, take } from 'rxjs';
import { Caller } from '../../schedulers/Caller.js';
import { transfer } from '../../schedulers/threads/transfer.js';

/** How long a task waits on a shared word before giving up (a safety net: tests never reach it). */
const SAFETY_MS = 10_000;

export function add(a: number, b: number): number {
  return a + b;
}

export async function addLater(a: number, b: number): Promise<number> {
  await Promise.resolve();
  return a + b;
}

export function whereAmI(): { threadId: number; caller: string; hasPending: boolean; pendingIsCurrent: boolean } {
  const pending = Caller.currentPending();
  return { threadId, caller: Caller.current().name, hasPending: pending !== undefined, pendingIsCurrent: pending !== undefined && pending.state === 'pending' };
}

export async function whereAmIAfterAwait(): Promise<{ threadId: number; hasPending: boolean }> {
  await new Promise((resolve) => setImmediate(resolve));
  return { threadId, hasPending: Caller.currentPending() !== undefined };
}

/** Arrives at a barrier of `parties` and waits there for the others: proof that they run at once. */
export function barrier(shared: SharedArrayBuffer, parties: number): number {
  const words = new Int32Array(shared);
  Atomics.add(words, 0, 1);
  Atomics.notify(words, 0);
  for (let seen = Atomics.load(words, 0); seen < parties; seen = Atomics.load(words, 0)) {
    if (Atomics.wait(words, 0, seen, SAFETY_MS) === 'timed-out') throw new Error('barrier: the other party never arrived');
  }
  return threadId;
}

/** Appends `label` to a shared log (word 0 is the length). */
export function record(shared: SharedArrayBuffer, label: number): number {
  const words = new Int32Array(shared);
  const i = Atomics.add(words, 0, 1);
  Atomics.store(words, 1 + i, label);
  return threadId;
}

/** Records `label`, then blocks until word `gate` of `shared` is set. */
export function recordThenWait(log: SharedArrayBuffer, label: number, gate: SharedArrayBuffer): number {
  record(log, label);
  const words = new Int32Array(gate);
  if (Atomics.wait(words, 0, 0, SAFETY_MS) === 'timed-out') throw new Error('gate never opened');
  return threadId;
}

/** Sets word 0 of `shared` to 1 (and wakes waiters). */
export function signalStarted(shared: SharedArrayBuffer): void {
  const words = new Int32Array(shared);
  Atomics.store(words, 0, 1);
  Atomics.notify(words, 0);
}

/** A CPU-bound loop that checks its signal: stops cleanly when cancelled. */
export function cooperativeLoop(started: SharedArrayBuffer): string {
  signalStarted(started);
  const signal = Caller.currentPending()!.signal;
  let spins = 0;
  while (!signal.aborted) spins++;
  return `stopped after ${spins > 0 ? 'some' : 'no'} spins`;
}

/** An async task that ends when its signal aborts. */
export function untilAborted(started: SharedArrayBuffer): Promise<string> {
  const signal = Caller.currentPending()!.signal;
  signalStarted(started);
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
}

/** Never stops, never looks at its signal. */
export function forever(started: SharedArrayBuffer): never {
  signalStarted(started);
  for (;;) {
    // spin
  }
}

export function exitThread(code: number): void {
  process.exit(code);
}

export function throwInTimer(message: string): Promise<never> {
  setTimeout(() => {
    throw new Error(message);
  });
  return new Promise<never>(() => {});
}

export class TaskFailure extends Error {
  override name = 'TaskFailure';
}

export function fail(message: string): never {
  throw new RangeError(message, { cause: new TaskFailure('the root cause') });
}

export function failWithCustomClass(message: string): never {
  throw new TaskFailure(message);
}

export function makeBuffer(size: number): ArrayBuffer {
  const buffer = new ArrayBuffer(size);
  new Uint8Array(buffer).fill(7);
  return transfer(buffer, [buffer]);
}

export function sumBytes(buffer: ArrayBuffer): number {
  return new Uint8Array(buffer).reduce((a, b) => a + b, 0);
}

export function returnsFunction(): () => number {
  return () => 1;
}

export async function* countTo(n: number): AsyncGenerator<number> {
  for (let i = 1; i <= n; i++) yield i;
}

export function countObservable(n: number): Observable<number> {
  return interval(0).pipe(
    take(n),
    map((i) => i + 1),
  );
}

/** A stream that goes on until unsubscribed; then sets word 0 of `stopped`. */
export function endless(stopped: SharedArrayBuffer): Observable<number> {
  return new Observable<number>((subscriber) => {
    let i = 0;
    const timer = setInterval(() => subscriber.next(i++), 1);
    return () => {
      clearInterval(timer);
      signalStarted(stopped);
    };
  });
}

/** Uses the worker's own caller from inside the task. */
export async function viaCurrentCaller(x: number): Promise<number> {
  return Caller.current().callSoon((y: number) => y * 2, x);
}

/**
 * Tasks for the calls a worker makes back to the thread that started it. The "worker" ones run in a
 * worker (thread or child process) and call `Caller.main()` or `Caller.current().parent`; the "main" ones
 * are what those calls run on this side. jest loads this module for the test and for the calls back it
 * serves, so the main-side tasks share state with the test (and synchronise through gates, not sleeps).
 */
import { threadId } from 'node:worker_threads';
import { Observable } from 'rxjs';
import type { Pending } from '../../lib/Pending';
import { Caller } from '../../schedulers/Caller';
import type { CallerHandle } from '../../schedulers/threads/internal/CallerHandle';
import { threadModule } from '../../schedulers/threads/threadModule';
import { gate } from './inProcessTasks';

const self = threadModule<typeof import('./backTasks')>(__filename);

/** `Caller.main()` inside a worker: a handle, whose calls take thread tasks too. */
function main(): CallerHandle {
  return Caller.main() as unknown as CallerHandle;
}

function parent(): CallerHandle {
  return Caller.current().parent as unknown as CallerHandle;
}

// ---- run on the main side ------------------------------------------------------------------------

export interface Where {
  readonly threadId: number;
  readonly pid: number;
  readonly caller: string;
  readonly pendingIsCurrent: boolean;
}

export function whereAmI(): Where {
  const pending = Caller.currentPending();
  return { threadId, pid: process.pid, caller: Caller.current().name, pendingIsCurrent: pending?.state === 'pending' };
}

/** The pendings of `holdOnMain` calls, by label: the test checks what cancellation did to them. */
export const mainPendings = new Map<string, Pending<unknown>>();

/** Waits (on the main side) until its signal aborts; the test learns it started through `started(label)`. */
export function holdOnMain(label: string): Promise<never> {
  const pending = Caller.currentPending()!;
  mainPendings.set(label, pending);
  gate(`started:${label}`).open();
  return new Promise<never>((_, reject) => pending.signal.addEventListener('abort', () => reject(pending.signal.reason)));
}

/** Resolves once the main-side `holdOnMain(label)` has started. */
export function started(label: string): Promise<void> {
  return gate(`started:${label}`).opened;
}

/** Opens the test's gate `name` (how a task in a child process, which shares no memory, says where it is). */
export function openGate(name: string): void {
  gate(name).open();
}

export function failOnMain(message: string): never {
  throw new RangeError(message, { cause: new Error('main-side cause') });
}

export function countOnMain(n: number): Observable<number> {
  return new Observable<number>((subscriber) => {
    for (let i = 1; i <= n; i++) subscriber.next(i);
    subscriber.complete();
  });
}

// ---- run in a worker -----------------------------------------------------------------------------

/** Where a module task sent to `Caller.main()` runs, and what the handle says it is. */
export async function askMain(): Promise<{ where: Where; handle: string; here: number }> {
  return { where: await main().callSoon(self.whereAmI), handle: String(Caller.main()), here: threadId };
}

/** An inline function sent to `Caller.main()`, with its arguments. */
export function askMainInline(n: number): Pending<number> {
  return main().callSoon((x: number) => x * 2 + 2, n);
}

/** A callLater on `Caller.main()`. */
export function askMainLater(a: number, b: number): Pending<number> {
  return main().callLater(1, (x: number, y: number) => x + y, a, b);
}

/** Where a call on `Caller.current().parent` runs, and what the handle says it is. */
export async function askParent(): Promise<{ where: Where; handle: string }> {
  return { where: await parent().callSoon(self.whereAmI), handle: String(Caller.current().parent) };
}

/** Returns the main-side call itself: cancelling this call cancels it (the caller awaits what it returns). */
export function relayHold(label: string): Pending<never> {
  return main().callSoon(self.holdOnMain, label);
}

/** The main side's error, as it arrived here. */
export async function catchFromMain(message: string): Promise<{ name: string; message: string; isRangeError: boolean; cause: unknown }> {
  try {
    await main().callSoon(self.failOnMain, message);
  } catch (error) {
    const e = error as Error;
    return { name: e.name, message: e.message, isRangeError: e instanceof RangeError, cause: (e.cause as Error | undefined)?.message };
  }
  throw new Error('expected the main side to fail');
}

/** Streams, from here, what the main side streams. */
export function streamFromMain(n: number): Observable<number> {
  return main().observe(self.countOnMain, n);
}

/** From a ThreadCaller started inside this worker: where its `Caller.main()` and its parent run. */
export async function askFromNestedThread(): Promise<{ main: Where; parent: Where; here: number }> {
  const inner = Caller.current().get({ name: 'inner', thread: true });
  try {
    const [fromMain, fromParent] = await Promise.all([inner.callSoon(self.whereMainRuns), inner.callSoon(self.whereParentRuns)]);
    return { main: fromMain, parent: fromParent, here: threadId };
  } finally {
    inner.stop();
    await inner.stopped;
  }
}

export function whereMainRuns(): Pending<Where> {
  return main().callSoon(self.whereAmI);
}

export function whereParentRuns(): Pending<Where> {
  return parent().callSoon(self.whereAmI);
}

/** Tells the test it started (gate `started:<label>`), then ends when its signal aborts. */
export async function waitForAbort(label: string): Promise<never> {
  const signal = Caller.currentPending()!.signal;
  await main().callSoon(self.openGate, `started:${label}`);
  return new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason));
    if (signal.aborted) reject(signal.reason);
  });
}

/** Tells the test it started, then spins forever, never looking at its signal. */
export async function spinForever(label: string): Promise<never> {
  await main().callSoon(self.openGate, `started:${label}`);
  for (;;) {
    // spin
  }
}

/** Emits until unsubscribed; then tells the test (gate `unsubscribed:<label>`). */
export function endless(label: string): Observable<number> {
  return new Observable<number>((subscriber) => {
    let i = 0;
    const timer = setInterval(() => subscriber.next(i++), 1);
    return () => {
      clearInterval(timer);
      void main().callSoon(self.openGate, `unsubscribed:${label}`);
    };
  });
}

export function exitProcess(code: number): void {
  process.exit(code);
}

/**
 * Type contracts of the thread API, checked by `npm run typecheck` (tsc over spec/); never run by jest.
 * Each `@ts-expect-error` line is a wrong use that must stay a compile error.
 */
import type { Observable } from 'rxjs';
import type { Pending } from '../../lib/Pending.js';
import type { Caller } from '../../schedulers/Caller.js';
import type { ProcessCaller } from '../../schedulers/ProcessCaller.js';
import type { ThreadCaller } from '../../schedulers/ThreadCaller.js';
import { runSync } from '../../schedulers/threads/runSync.js';
import { threadModule } from '../../schedulers/threads/threadModule.js';
import { threadTask, type ThreadTask } from '../../schedulers/threads/threadTask.js';
import { transfer } from '../../schedulers/threads/transfer.js';
import type { Cloned } from '../../schedulers/threads/Cloned.js';
import type * as Tasks from '../helpers/tasks.js';

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
export function assertType<T extends true>(): T | void {}

declare const worker: ThreadCaller;

export function threadTaskCarriesTheSignature(): void {
  const add = threadTask<typeof Tasks.add>('/tasks.js', 'add');
  assertType<Equal<typeof add, ThreadTask<[a: number, b: number], number>>>();
  const sum = worker.callSoon(add, 1, 2);
  assertType<Equal<typeof sum, Pending<number>>>();
  // @ts-expect-error a string where a number is expected
  worker.callSoon(add, 1, 'two');
  // @ts-expect-error too few arguments
  worker.callSoon(add, 1);
  const n: number = runSync(add, 1, 2);
  // @ts-expect-error runSync checks arguments too
  runSync(add, '1', 2);
  void n;
}

export function threadModuleTypesEveryFunctionExport(): void {
  const tasks = threadModule<typeof Tasks>(new URL('file:///tasks.js'));
  assertType<Equal<typeof tasks.add, ThreadTask<[a: number, b: number], number>>>();
  const later = worker.callSoon(tasks.addLater, 1, 2);
  assertType<Equal<typeof later, Pending<number>>>();
  // @ts-expect-error not an export of the module
  void tasks.nope;
  // @ts-expect-error a class is not a task
  void tasks.TaskFailure;
  // @ts-expect-error wrong argument type through the module too
  worker.callSoon(tasks.sumBytes, 'not a buffer');
  const buffer = new ArrayBuffer(8);
  worker.callSoon(tasks.sumBytes, transfer(buffer, [buffer]));
}

export function inlineFunctionsAreTyped(): void {
  const p = worker.callSoon((s: string, n: number) => s.repeat(n), 'ab', 2);
  assertType<Equal<typeof p, Pending<string>>>();
  // @ts-expect-error wrong argument type for the inline function
  worker.callSoon((s: string) => s.length, 3);
}

export function observeEmitsTheStreamValues(): void {
  const fromAsyncIterable = worker.observe(threadModule<typeof Tasks>('/t.js').countTo, 3);
  assertType<Equal<typeof fromAsyncIterable, Observable<number>>>();
  const fromObservable = worker.observe(threadModule<typeof Tasks>('/t.js').countObservable, 3);
  assertType<Equal<typeof fromObservable, Observable<number>>>();
  const single = worker.observe((x: number) => x * 2, 1);
  assertType<Equal<typeof single, Observable<number>>>();
  const text = worker.observe(() => 'one string');
  assertType<Equal<typeof text, Observable<string>>>();
}

declare const parent: Caller;

export function getGivesTheKindAskedFor(): void {
  const thread = parent.get({ name: 't', thread: true });
  assertType<Equal<typeof thread, ThreadCaller>>();
  const proc = parent.get({ name: 'p', process: { execArgv: [], env: { A: '1' }, cwd: '/tmp' } });
  assertType<Equal<typeof proc, ProcessCaller>>();
  const sameThread = parent.get({ name: 'c' });
  assertType<Equal<typeof sameThread, Caller>>();
  // A ProcessCaller takes the same calls as a ThreadCaller.
  const sum = proc.callSoon(threadTask<typeof Tasks.add>('/tasks.js', 'add'), 1, 2);
  assertType<Equal<typeof sum, Pending<number>>>();
  // @ts-expect-error wrong argument type, in a process too
  proc.callSoon(threadTask<typeof Tasks.add>('/tasks.js', 'add'), 1, '2');
  // @ts-expect-error execArgv is a list of strings
  parent.get({ process: { execArgv: '--inspect' } });
}

class Point {
  constructor(readonly x: number) {}
  norm(): number {
    return Math.abs(this.x);
  }
}

export async function resultsAreTypedAsStructuredCloneDeliversThem(): Promise<void> {
  // A class instance crosses as a plain object of its data: the method is gone, and the type says so.
  const point = parent.toThread((p: Point) => p, new Point(3));
  assertType<Equal<typeof point, Pending<{ readonly x: number }>>>();
  const arrived = await point;
  // @ts-expect-error the prototype (and `norm`) did not cross the thread boundary
  arrived.norm();
  // @ts-expect-error nor is it a Point any more
  const asPoint: Point = arrived;
  // Data the clone keeps keeps its type, element by element.
  assertType<Equal<Cloned<{ when: Date; tags: Set<string>; byId: Map<number, Point>; bytes: Uint8Array; pair: [number, string] }>, {
    when: Date;
    tags: Set<string>;
    byId: Map<number, { readonly x: number }>;
    bytes: Uint8Array;
    pair: [number, string];
  }>>();
  assertType<Equal<Cloned<{ run: () => void; id: number }>, { id: number }>>();
  assertType<Equal<Cloned<() => void>, never>>();
  assertType<Equal<Cloned<string | undefined>, string | undefined>>();
  assertType<Equal<Cloned<RangeError>, RangeError>>();
  const fromThread = worker.callSoon(() => new Point(1));
  assertType<Equal<typeof fromThread, Pending<{ readonly x: number }>>>();
  const streamed = worker.observe(() => [new Point(1)]);
  assertType<Equal<typeof streamed, Observable<{ readonly x: number }>>>();
  const sync = runSync((p: Point) => p, new Point(2));
  assertType<Equal<typeof sync, { readonly x: number }>>();
  void asPoint;
}

export async function stopReturnsTheStoppedPending(): Promise<void> {
  const stopping = worker.stop();
  assertType<Equal<typeof stopping, Pending<void>>>();
  await worker.stop({ force: true });
}

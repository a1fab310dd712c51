import type { ObservableInput, ObservedValueOf } from 'rxjs';
import { threadState } from '../lib/internal/threadState.js';
import { registerLinkedChildKind, type LinkedChildKind } from './internal/childCallers.js';
import { backTargetsFor, cancelGrace } from './threads/internal/backTargets.js';
import { checkThreadOptions } from './threads/internal/checkOptions.js';
import { checkLinkedCallerOptions, LinkedCaller } from './threads/internal/LinkedCaller.js';
import { CALLER_SLOTS } from './threads/internal/slots.js';
import { spawnThread, type SpawnThread } from './threads/internal/spawnThread.js';
import type { ThreadOptions } from './threads/ThreadOptions.js';
import { isBranded } from '../lib/internal/brand.js';

export type { ThreadOptions } from './threads/ThreadOptions.js';

/** What `observe(task)` emits: the values of the stream the task returns (or its one value). */
export type StreamValue<R> = Awaited<R> extends string ? Awaited<R> : Awaited<R> extends ObservableInput<unknown> ? ObservedValueOf<Awaited<R>> : Awaited<R>;

/** Options of `new ThreadCaller()`; `Caller.get({ name, thread })` makes one for you. */
export interface ThreadCallerOptions {
  /** Shown by `toString()`; inside the worker it is the name of `Caller.current()`. */
  name: string;
  /** The caller that made it (it stops with its parent; inside the worker, `Caller.current().parent` is a handle to it). */
  parent: object;
  /** How the thread is started. */
  thread?: ThreadOptions;
  /** @internal Starts the thread (tests run it in-process over a MessageChannel). */
  spawn?: SpawnThread;
}

/**
 * A child caller living on its own worker thread: calls made with `callSoon`, `callLater` and `observe`
 * run there, in order, on the thread's own caller (inside the task, `Caller.current()` is that caller,
 * `Caller.currentPending()` the call's pending, `Caller.current().parent` a handle to this caller's
 * parent and `Caller.main()` one to the main thread's caller). Made by `caller.get({ name, thread: true })`,
 * it is one of its parent's `children` and stops with it.
 *
 * It is `initial` until its thread is up (`started` settles then; calls made before wait), `running`,
 * then `stopping` and `stopped` once `stop()` was called, or its thread died (calls it held then fail
 * with {@link WorkerCrashedError}). Cancelling a call reaches the task's signal in the worker, even inside
 * a synchronous loop (through shared memory); a call that ignores it is settled `cancelled` after
 * `Caller.CANCEL_GRACE` ms and its thread is terminated and replaced (the ThreadCaller stays `running`;
 * the new thread's state starts afresh; calls it had not begun run there, in order). While no call is in
 * flight it does not keep the process alive. `stopped` settles once the thread has exited.
 *
 * @example
 * import { Caller, threadModule } from 'rxjs-caller';
 * const tasks = threadModule<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * const worker = Caller.current().get({ name: 'crunch', thread: true });
 * const total = await worker.callSoon(tasks.sum, [1, 2, 3]);
 * worker.observe(tasks.progress, 10).subscribe((p) => console.log(p));
 * worker.stop();
 */
export class ThreadCaller extends LinkedCaller {
  /** @internal `instanceof` across the ESM and CJS builds (lib/internal/brand.ts). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(this, value);
  }
  /** @internal */
  get __rxjsCaller(): string {
    return 'ThreadCaller';
  }
  /**
   * @param options `name`, `parent` and `thread` (how the thread is started).
   * @throws TypeError when an option has the wrong type.
   */
  constructor(options: ThreadCallerOptions) {
    checkLinkedCallerOptions(options);
    const { name, parent, thread, spawn = spawnThread } = options;
    const threadOptions = checkThreadOptions(thread);
    const start = () => spawn({ workerEntry: threadOptions.workerEntry, createWorker: threadOptions.createWorker, execArgv: threadOptions.execArgv, resourceLimits: threadOptions.resourceLimits as Record<string, number> | undefined, name });
    super({ name, parent, start, slotCount: CALLER_SLOTS, cancelGrace, back: backTargetsFor(parent) });
  }

  /** The worker's thread id (-1 until `started`). */
  get threadId(): number {
    return this._link.threadId;
  }

  protected get _kind(): string {
    return 'ThreadCaller';
  }

  protected get _where(): string {
    return 'worker thread';
  }

  protected _describeFarEnd(): string {
    return this._link.threadId >= 0 ? ` thread=${this._link.threadId}` : '';
  }
}

/** @internal How `caller.get({ thread })` makes a ThreadCaller; registered below, so Caller does not import this file. */
export const threadCallerKind: LinkedChildKind = {
  create: (parent, name, options) => new ThreadCaller({ name: name ?? `thread-${threadState.nextCallerId}`, parent, thread: options as ThreadCallerOptions['thread'] }),
  is: (child) => child instanceof ThreadCaller,
};

registerLinkedChildKind('thread', threadCallerKind);

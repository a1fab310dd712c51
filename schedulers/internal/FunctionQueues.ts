import type { Pending } from '../../lib/Pending.js';
import { ChunkQueue } from '../../lib/internal/ChunkQueue.js';
import { reportError } from '../../lib/internal/report.js';

type AnyFunction = (...args: never[]) => unknown;

/** One function's queue: its pending calls' arguments and the long-lived task that runs them. */
interface FunctionQueue {
  /** Weak, so that the queue closes when the function is garbage-collected. */
  readonly fn: WeakRef<AnyFunction>;
  readonly items: ChunkQueue<unknown[]>;
  task: Pending<void> | undefined;
  wake: (() => void) | undefined;
  closed: boolean;
}

type StartTask = (run: (queue: FunctionQueue) => Promise<void>, queue: FunctionQueue) => Pending<void>;

/**
 * The queues behind `caller.queueCall(fn, ...args)`: calls to one function run strictly one at a time, in
 * order, on one long-lived task per function. Errors are reported and the queue goes on. A queue closes
 * on `queueClose(fn)`, when the caller stops, and when `fn` is garbage-collected.
 */
export class FunctionQueues {
  readonly #byFunction = new WeakMap<AnyFunction, FunctionQueue>();
  readonly #finalizer = new FinalizationRegistry<FunctionQueue>((queue) => this.#close(queue));

  readonly #startTask: StartTask;

  /** @param startTask starts the long-lived task (a call on the owning caller) */
  constructor(startTask: StartTask) {
    this.#startTask = startTask;
  }

  add(fn: AnyFunction, args: unknown[]): void {
    let queue = this.#byFunction.get(fn);
    if (queue === undefined || queue.closed) {
      queue = { fn: new WeakRef(fn), items: new ChunkQueue(), task: undefined, wake: undefined, closed: false };
      this.#byFunction.set(fn, queue);
      this.#finalizer.register(fn, queue, queue);
      const task = (queue.task = this.#startTask(runQueue, queue));
      // Cancelling the task (`queueGet(fn)!.cancel()`, or the caller's stop cancelling its calls) closes
      // the queue, or later calls would run in a cancelled task. The listener holds the queue, never `fn`.
      const owned = queue;
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal aborts once; `once` only lets go of the listener
      task.signal.addEventListener('abort', () => this.#close(owned), { once: true });
    }
    queue.items.push(args);
    queue.wake?.();
  }

  task(fn: AnyFunction): Pending<void> | undefined {
    const queue = this.#byFunction.get(fn);
    return queue && !queue.closed ? queue.task : undefined;
  }

  /** Closes the queue of `fn` (and only that one). Calls not yet started are dropped. */
  closeFunction(fn: AnyFunction): void {
    const queue = this.#byFunction.get(fn);
    if (queue !== undefined) this.#close(queue);
  }

  #close(queue: FunctionQueue): void {
    if (queue.closed) return;
    queue.closed = true;
    this.#finalizer.unregister(queue);
    queue.items.drain();
    queue.wake?.();
    queue.task?.cancel('queue closed');
  }
}

async function runQueue(queue: FunctionQueue): Promise<void> {
  while (!queue.closed) {
    const args = queue.items.shift();
    if (args === undefined) {
      await new Promise<void>((resolve) => (queue.wake = resolve));
      queue.wake = undefined;
      continue;
    }
    try {
      await callOnce(queue, args);
    } catch (error) {
      reportError(error);
    }
  }
}

/** Kept out of `runQueue` so no frame of the long-lived task holds the function while it idles. */
function callOnce(queue: FunctionQueue, args: unknown[]): unknown {
  const fn = queue.fn.deref();
  if (fn === undefined) {
    queue.closed = true;
    return undefined;
  }
  return (fn as (...a: unknown[]) => unknown)(...args);
}

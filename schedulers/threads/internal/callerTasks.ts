import { from, of, type Subscription } from 'rxjs';
import { currentFrame, runInFrame } from '../../../lib/internal/context.js';
import { isObservableInput } from '../../../lib/internal/isObservableInput.js';
import { isThenable } from '../../../lib/internal/isThenable.js';
import { Pending } from '../../../lib/Pending.js';
import { explainInlineError } from './loadTask.js';
import type { CallMessage, TaskRef } from './protocol.js';
import type { Relay } from './ServeOptions.js';

type TaskFunction = (...args: unknown[]) => unknown;

/** What the work of a call served in order needs from the server of its link. */
export interface TaskServer {
  /** Where calls are passed on to, when the caller they target lives on another thread. */
  readonly relay: Relay | undefined;
  /** A task's function, or a promise of it while its module loads. */
  resolve(taskId: number, ref: TaskRef): TaskFunction | Promise<TaskFunction>;
  /**
   * Claims the call as it starts and sends the answers waiting in the outbox first; false when the client
   * took the call back (to cancel it, or to run it on a new thread).
   */
  start(message: CallMessage): boolean;
  /** Sends a stream value (mode 'observe'). */
  next(id: number, value: unknown): void;
}

/**
 * The work of a ThreadCaller call, run by the worker's caller: loads the task, then calls it. `ref` was
 * looked up when the call arrived (the client may have told the worker to forget the task since).
 */
export function callTask(server: TaskServer, message: CallMessage, ref: TaskRef): unknown {
  const relay = server.relay;
  if (relay !== undefined) {
    if (!server.start(message)) return takenBack();
    return message.mode === 'observe' ? relay._relayObserve(ref, message.args) : relay._relayCall(ref, message.args);
  }
  const fn = server.resolve(message.task, ref);
  const run = (loaded: TaskFunction) => {
    // Claimed only now, once its module has loaded: until then the call may still run elsewhere.
    if (!server.start(message)) return takenBack();
    try {
      return adopt(loaded(...message.args), ref);
    } catch (error) {
      throw explainInlineError(ref, error);
    }
  };
  if (!(fn instanceof Promise)) return run(fn);
  // Keep the call's frame across the module load, in hosts where it would not follow an await.
  const frame = currentFrame();
  return fn.then((loaded) => runInFrame(frame, run, loaded));
}

/** A call the client took back must not run: it ends cancelled. */
function takenBack(): undefined {
  currentFrame()?.pending?.cancel('taken back by the calling thread');
  return undefined;
}

/**
 * A task's result as the caller should await it: a thenable other than a Pending becomes a real promise
 * (a `then` that throws rejects it instead of escaping), and an inline function's errors are explained.
 */
function adopt(result: unknown, ref: TaskRef): unknown {
  if (!isThenable(result) || result instanceof Pending) return result;
  const promise = Promise.resolve(result);
  return 'source' in ref ? promise.catch((error: unknown) => Promise.reject(explainInlineError(ref, error))) : promise;
}

/** The work of an `observe` call: streams the task's values until it ends or the call is cancelled. */
export function streamTask(server: TaskServer, message: CallMessage, ref: TaskRef): unknown {
  const pending = currentFrame()?.pending;
  const start = (result: unknown) =>
    new Promise<void>((resolve, reject) => {
      const source = isObservableInput(result) && typeof result !== 'string' ? from(result) : of(result);
      let subscription: Subscription | undefined;
      const signal = pending?.signal;
      const onAbort = () => {
        subscription?.unsubscribe();
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      subscription = source.subscribe({
        next: (value) => server.next(message.id, value),
        error: (error: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(explainInlineError(ref, error));
        },
        complete: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      });
      if (signal?.aborted) onAbort();
    });
  const result = callTask(server, message, ref);
  if (pending?.cancelled) return result;
  // A promise (an async task, or a module still loading) is awaited first: what it gives is streamed.
  return result instanceof Promise ? result.then(start) : start(result);
}

import { from, of, type Subscription } from 'rxjs';
import { currentFrame, runInFrame } from '../../../lib/internal/context.js';
import { isObservableInput } from '../../../lib/internal/isObservableInput.js';
import { isThenable } from '../../../lib/internal/isThenable.js';
import { explainInlineError } from './loadTask.js';
import type { CallMessage, TaskRef } from './protocol.js';
import type { Relay } from './serve.js';

type TaskFunction = (...args: unknown[]) => unknown;

/** What the work of a call served in order needs from the server of its link. */
export interface TaskServer {
  /** Where calls are passed on to, when the caller they target lives on another thread. */
  readonly relay: Relay | undefined;
  refOf(taskId: number): TaskRef;
  /** A task's function, or a promise of it while its module loads. */
  resolve(taskId: number): TaskFunction | Promise<TaskFunction>;
  /** Sends a stream value (mode 'observe'). */
  next(id: number, value: unknown): void;
}

/** The work of a ThreadCaller call, run by the worker's caller: loads the task, then calls it. */
export function callTask(server: TaskServer, message: CallMessage): unknown {
  const ref = server.refOf(message.task);
  const relay = server.relay;
  if (relay !== undefined) return message.mode === 'observe' ? relay._relayObserve(ref, message.args) : relay._relayCall(ref, message.args);
  const fn = server.resolve(message.task);
  const run = (loaded: TaskFunction) => {
    try {
      const result = loaded(...message.args);
      return isThenable(result) && 'source' in ref ? Promise.resolve(result).catch((error: unknown) => Promise.reject(explainInlineError(ref, error))) : result;
    } catch (error) {
      throw explainInlineError(ref, error);
    }
  };
  if (!(fn instanceof Promise)) return run(fn);
  // Keep the call's frame across the module load, in hosts where it would not follow an await.
  const frame = currentFrame();
  return fn.then((loaded) => runInFrame(frame, run, loaded));
}

/** The work of an `observe` call: streams the task's values until it ends or the call is cancelled. */
export function streamTask(server: TaskServer, message: CallMessage): unknown {
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
          reject(explainInlineError(server.refOf(message.task), error));
        },
        complete: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      });
      if (signal?.aborted) onAbort();
    });
  const result = callTask(server, message);
  // A promise (an async task, or a module still loading) is awaited first: what it gives is streamed.
  return result instanceof Promise ? result.then(start) : start(result);
}

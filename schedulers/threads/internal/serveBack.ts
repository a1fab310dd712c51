import { backChannel } from './channels.js';
import type { Endpoint } from './Endpoint.js';
import type { BackChannel } from './protocol.js';
import { serve } from './serve.js';
import type { Relay, WorkerCaller } from './ServeOptions.js';

/** The callers of the starting thread that a worker's calls back run on. */
export interface BackTargets {
  /** This thread's `Caller.main()`: the main thread's caller, or a Relay to it when this thread is a worker too. */
  main(): WorkerCaller | Relay;
  /** The caller that owns the link: `Caller.current().parent` in the worker. */
  parent(): WorkerCaller;
  /** This thread's `Caller.current()` (relayed calls are passed on from it, in order). */
  current(): object;
}

const CHANNELS: readonly BackChannel[] = ['main', 'parent'];

/**
 * Serves, on the starting side of a link, the conversations the worker may open back: calls on its
 * `Caller.main()` and on its parent, with the same server that runs calls inside workers (so they
 * queue, cancel, stream and fail exactly as calls the other way do). Nothing runs until the worker
 * makes its first call back.
 *
 * @returns a function to call once the worker has gone: it stops listening and cancels what its calls
 *   left running here.
 */
export function serveBack(endpoint: Endpoint, targets: BackTargets): () => void {
  const threadId = ownThreadId();
  const stops = CHANNELS.map((channel) =>
    serve(backChannel(endpoint, channel), {
      threadId,
      currentCaller: () => targets.current(),
      callerFor: (init) => (init.mode === 'main' ? targets.main() : targets.parent()),
    }),
  );
  return () => {
    for (const stop of stops) stop();
  };
}

function ownThreadId(): number {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return (proc?.getBuiltinModule?.('node:worker_threads') as { threadId?: number } | undefined)?.threadId ?? 0;
}

import type { Endpoint, ThreadHost } from '../../schedulers/threads/internal/Endpoint.js';
import { toEndpoint } from '../../schedulers/threads/internal/Endpoint.js';
import { serve } from '../../schedulers/threads/internal/serve.js';
import type { SpawnThread } from '../../schedulers/threads/internal/spawnThread.js';
import { Caller } from '../../schedulers/Caller.js';

/** An in-process "thread": a MessageChannel whose far end is served in this very thread. */
export interface InProcessThread extends ThreadHost {
  readonly threadId: number;
  /** Simulates the thread dying: stops serving and reports an exit with `error`. */
  crash(error?: unknown, code?: number): void;
  /** Simulates a thread too busy to read its port: what arrives from now on waits, unserved. */
  hold(): void;
  /** The thread reads its port again: what waited is served first, in order. */
  resume(): void;
}

let nextId = 1000;

/** A spawner that records what it made, so tests can crash or count them. */
export function inProcessSpawner(): SpawnThread & { readonly threads: InProcessThread[]; terminateAll(): Promise<void> } {
  const threads: InProcessThread[] = [];
  const spawn = (() => {
    const { port1, port2 } = new MessageChannel();
    const threadId = nextId++;
    const port = toEndpoint(port2);
    let holding = false;
    const waiting: unknown[] = [];
    const listeners = new Set<(data: unknown) => void>();
    const deliver = (data: unknown) => {
      for (const l of listeners) l(data);
    };
    port.listen((data) => (holding ? waiting.push(data) : deliver(data)));
    const served: Endpoint = {
      postMessage: (message, transfer) => port.postMessage(message, transfer),
      listen: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const stopServing = serve(served, {
      threadId,
      currentCaller: () => Caller.current(),
      callerFor: (init) => new Caller({ name: init.name }),
    });
    let listener: ((code: number, error: unknown) => void) | undefined;
    let exited = false;
    const exit = (code: number, error: unknown) => {
      if (exited) return;
      exited = true;
      stopServing();
      port1.close();
      port2.close();
      // Like Node's 'exit' event: after the current task.
      setImmediate(() => listener?.(code, error));
    };
    const thread: InProcessThread = {
      threadId,
      endpoint: toEndpoint(port1),
      onExit: (l) => (listener = l),
      terminate: () => {
        exit(1, undefined);
        return new Promise((resolve) => setImmediate(resolve));
      },
      ref: () => {},
      unref: () => {},
      crash: (error, code = 1) => exit(code, error),
      hold: () => {
        holding = true;
      },
      resume: () => {
        holding = false;
        waiting.splice(0).forEach(deliver);
      },
    };
    threads.push(thread);
    return thread;
  }) as unknown as SpawnThread & { threads: InProcessThread[]; terminateAll(): Promise<void> };
  spawn.threads = threads;
  spawn.terminateAll = async () => {
    await Promise.all(threads.map((t) => t.terminate()));
  };
  return spawn;
}

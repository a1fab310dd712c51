import type { Endpoint } from './Endpoint.js';

/** runSync: after each message, wake the blocked thread (word 0 counts posts). */
export function wakingEndpoint(endpoint: Endpoint, wake: Int32Array): Endpoint {
  return {
    postMessage(message, transfer) {
      endpoint.postMessage(message, transfer);
      Atomics.add(wake, 0, 1);
      Atomics.notify(wake, 0);
    },
    listen: (listener) => endpoint.listen(listener),
  };
}

/** runSync: a worker that exits (process.exit, an uncaught error) wakes the blocked thread for good. */
export function onThreadExit(wake: Int32Array): void {
  const proc = (globalThis as { process?: { on?(event: 'exit', listener: () => void): void } }).process;
  proc?.on?.('exit', () => {
    Atomics.store(wake, 1, 1);
    Atomics.add(wake, 0, 1);
    Atomics.notify(wake, 0);
  });
}

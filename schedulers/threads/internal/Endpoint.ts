/**
 * The seam between thread logic and the host's messaging: everything above it (the pool, ThreadCaller,
 * the worker runtime) talks to an Endpoint, so most of it is tested over a `MessageChannel` in one
 * process. Node's `Worker`, `MessagePort` and `parentPort`, and the browser's `Worker`, `MessagePort` and
 * worker scope all fit through {@link toEndpoint}.
 */
export interface Endpoint {
  postMessage(message: unknown, transfer?: readonly object[]): void;
  /** Delivers the data of each incoming message to `listener` until the returned function is called. */
  listen(listener: (data: unknown) => void): () => void;
}

/** A running thread seen from the thread that started it. */
export interface ThreadHost {
  readonly endpoint: Endpoint;
  /**
   * Registers the one listener told when the thread has gone, whatever the reason: `error` is what
   * killed it (undefined for a clean exit or `terminate()`), `code` its exit code.
   */
  onExit(listener: (code: number, error: unknown) => void): void;
  /** Stops the thread, even inside a synchronous loop. Resolves once it has gone. */
  terminate(): Promise<void>;
  /** Whether the thread keeps the host process alive (Node); idle pool threads do not. */
  ref(): void;
  unref(): void;
}

type NodeLike = {
  on(event: 'message', listener: (data: unknown) => void): unknown;
  off(event: 'message', listener: (data: unknown) => void): unknown;
  postMessage(message: unknown, transfer?: readonly object[]): void;
};
type DomLike = {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown, transfer?: readonly object[]): void;
  start?(): void;
};

/** Wraps anything with `postMessage` and either Node's `on('message')` or the DOM's `addEventListener`. */
export function toEndpoint(port: NodeLike | DomLike): Endpoint {
  if (typeof (port as NodeLike).on === 'function') {
    const node = port as NodeLike;
    return {
      postMessage: (message, transfer) => node.postMessage(message, transfer),
      listen(listener) {
        node.on('message', listener);
        return () => void node.off('message', listener);
      },
    };
  }
  const dom = port as DomLike;
  return {
    postMessage: (message, transfer) => dom.postMessage(message, transfer as Transferable[] | undefined),
    listen(listener) {
      const onMessage = (event: { data: unknown }) => listener(event.data);
      dom.addEventListener('message', onMessage);
      dom.start?.();
      return () => dom.removeEventListener('message', onMessage);
    },
  };
}

type IpcLike = {
  send?(message: unknown, sendHandle: undefined, options: undefined, callback: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (data: unknown) => void): unknown;
  off(event: 'message', listener: (data: unknown) => void): unknown;
};

/**
 * Wraps a Node IPC channel: a forked `ChildProcess`, or `process` inside one, started with
 * `serialization: 'advanced'` so values are structured-cloned as between threads. Processes share no
 * memory, so a transfer list is ignored: what it names is copied. A message that cannot be cloned throws
 * at once, as `postMessage` does; one sent once the channel has closed is dropped (the process's exit
 * tells the link's owner), where Node would otherwise raise an 'error' event.
 */
export function ipcEndpoint(channel: IpcLike): Endpoint {
  return {
    postMessage(message) {
      channel.send!(message, undefined, undefined, ignoreSendError);
    },
    listen(listener) {
      channel.on('message', listener);
      return () => void channel.off('message', listener);
    },
  };
}

function ignoreSendError(): void {}

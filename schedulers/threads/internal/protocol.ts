/**
 * The wire protocol between a side that makes calls (the "client") and the side that runs them (the
 * "worker"). Types only: nothing here exists at run time.
 *
 * A link to a worker thread or child process carries up to three conversations over one port. The
 * link's own: the starting thread is the client, the worker serves (a pool, a ThreadCaller, a
 * ProcessCaller, runSync). And two the worker may open back, where the roles swap and the same messages
 * are used: calls on `Caller.main()` and calls on `Caller.current().parent` inside the worker, served by
 * the starting thread. The link's own batches travel as they are; a batch of a conversation opened
 * back travels in an {@link Envelope} naming it.
 *
 * Every `postMessage` carries an array of messages (a {@link Batch}): all the calls, replies or stream
 * values produced in one tick travel together, which is what makes tiny calls cheap. Each message has a
 * literal `type` and an `id`; replies carry the `id` of the call they answer, and `id` 0 is the link
 * itself (init, ready, config, stop).
 *
 * On the wire a batch is in its compact form (compactBatch.ts): a plain {@link CallMessage} (no `mode`,
 * no `delay`) travels as `0, id, task, slot, args` and a {@link ResultMessage} as `1, id, value`, spread
 * into the batch array, where every other message travels as its object. Cloning a few numbers costs
 * less than cloning an object with its keys, and these two messages make up every call's round trip.
 */

/** How a task is named on the wire: an export of a module, or a self-contained function's source. */
export type TaskRef = ModuleTaskRef | SourceTaskRef;

export interface ModuleTaskRef {
  /** An absolute path, a `file:`/`http(s):`/`data:`/`blob:` URL, or a bare package specifier. */
  readonly module: string;
  readonly name: string;
}

export interface SourceTaskRef {
  /** `fn.toString()` of a self-contained function. */
  readonly source: string;
  /** `fn.name`, for error messages. */
  readonly name: string;
}

/** An error as it crosses threads; rebuilt with the same `name` (and class, when known) on the other side. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Present when the error had a `cause`. */
  readonly cause?: WireFailure;
  /** `AggregateError#errors`. */
  readonly errors?: readonly WireFailure[];
  /** Other own enumerable properties that could be cloned (`code`, `reasons`, …). */
  readonly props?: Readonly<Record<string, unknown>>;
}

/** Anything thrown: an error (serialised) or another cloneable value thrown as it is. */
export type WireFailure = { readonly error: SerializedError } | { readonly value: unknown };

/**
 * What the serving side is: one of a pool's threads, the thread (or process) of a ThreadCaller (or
 * ProcessCaller), the `runSync` thread; or, for a conversation opened back, the starting thread serving
 * calls on its `Caller.main()` ('main') or on the caller that owns the link ('parent').
 */
export type WorkerMode = 'pool' | 'caller' | 'sync' | BackChannel;

/** The conversations a worker opens back to the thread that started it. */
export type BackChannel = 'main' | 'parent';

// ---- client -> worker ---------------------------------------------------------------------------

/** First message on a link. */
export interface InitMessage {
  readonly type: 'init';
  readonly id: 0;
  readonly mode: WorkerMode;
  /**
   * The shared state words of calls in flight (see slots.ts); absent where SharedArrayBuffer is
   * unavailable or the two sides share no memory (a child process). A worker opens its conversations
   * back with slots only when its own link has them.
   */
  readonly slots: SharedArrayBuffer | undefined;
  /** The ThreadCaller's name (mode 'caller'). */
  readonly name: string;
  /** The name of the caller that owns the link, which `Caller.current().parent` stands for in the worker. */
  readonly parentName?: string;
  /** Ms of idleness after which a pool worker offers to retire (0: never). */
  readonly idleTimeout: number;
  /** `runSync` only: word 0 is bumped and notified after each batch of replies; word 1 is set when the worker exits. */
  readonly wake?: SharedArrayBuffer;
  /** `runSync` only: the MessagePort to serve on, which the blocked thread reads synchronously. */
  readonly port?: unknown;
}

/** A changed setting, sent before the next batch that follows the change. */
export interface ConfigMessage {
  readonly type: 'config';
  readonly id: 0;
  readonly idleTimeout: number;
}

/** Names a task once per link: later calls refer to it by this `id` (less to clone, less to look up). */
export interface TaskMessage {
  readonly type: 'task';
  readonly id: number;
  readonly task: TaskRef;
}

/**
 * Drops a task named earlier (the client keeps a bounded table of the tasks it named on a link): calls
 * sent before it were already tied to their task when they arrived.
 */
export interface ForgetMessage {
  readonly type: 'forget';
  /** The task's id. */
  readonly id: number;
}

/** Runs a task. */
export interface CallMessage {
  readonly type: 'call';
  readonly id: number;
  /** The id of a task named earlier on this link by a {@link TaskMessage}. */
  readonly task: number;
  readonly args: readonly unknown[];
  /** Index of this call's word in the shared slots, or -1 when it has none. */
  readonly slot: number;
  /** 'call' (the default) answers once; 'observe' streams `next` messages until `complete` or `error`. */
  readonly mode?: 'call' | 'observe';
  /** Run after this many ms (ThreadCaller.callLater). @default 0 */
  readonly delay?: number;
}

/** Asks a call (or a stream) to stop. */
export interface CancelMessage {
  readonly type: 'cancel';
  readonly id: number;
  readonly reason: string;
}

/** Stops the worker's caller (mode 'caller'); the worker answers with `stopped`. */
export interface StopMessage {
  readonly type: 'stop';
  readonly id: 0;
  readonly force: boolean;
}

export type ClientMessage = InitMessage | ConfigMessage | TaskMessage | ForgetMessage | CallMessage | CancelMessage | StopMessage;

// ---- worker -> client ---------------------------------------------------------------------------

/** The worker is listening. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly id: 0;
  readonly threadId: number;
}

/** A call's value (mode 'call'). */
export interface ResultMessage {
  readonly type: 'result';
  readonly id: number;
  readonly value: unknown;
}

/** A call failed, or a stream errored. */
export interface ErrorMessage {
  readonly type: 'error';
  readonly id: number;
  readonly failure: WireFailure;
}

/** A call ended cancelled, or a call the client had revoked was skipped. */
export interface CancelledMessage {
  readonly type: 'cancelled';
  readonly id: number;
  readonly reasons: readonly string[];
}

/** One value of a stream (mode 'observe'). */
export interface NextMessage {
  readonly type: 'next';
  readonly id: number;
  readonly value: unknown;
}

/** A stream completed. */
export interface CompleteMessage {
  readonly type: 'complete';
  readonly id: number;
}

/** A pool worker has been idle for `idleTimeout` ms and offers to retire; the client decides (it may have sent calls meanwhile). */
export interface IdleMessage {
  readonly type: 'idle';
  readonly id: 0;
}

/** The worker's caller has stopped (answer to `stop`). */
export interface StoppedMessage {
  readonly type: 'stopped';
  readonly id: 0;
}

export type WorkerMessage = ReadyMessage | ResultMessage | ErrorMessage | CancelledMessage | NextMessage | CompleteMessage | IdleMessage | StoppedMessage;

/** What one `postMessage` carries. */
export type Batch<M> = readonly M[];

/** A batch of a conversation opened back by the worker (the link's own batches are sent bare). */
export interface Envelope {
  readonly channel: BackChannel;
  readonly batch: Batch<ClientMessage | WorkerMessage>;
}

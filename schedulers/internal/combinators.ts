import { Observable, type OperatorFunction, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { Pending } from '../../lib/Pending.js';
import { PendingGroup, type PendingGroupOptions } from '../../lib/PendingGroup.js';
import { currentFrame, runInFrame } from '../../lib/internal/context.js';
import { fromInput } from '../../lib/internal/fromInput.js';
import { reportError } from '../../lib/internal/report.js';
import type { Frame } from '../../lib/internal/threadState.js';
import { expectOptionsObject, got, holds } from '../../lib/internal/validate.js';
import type { AsCompletedOptions, Awaitable, GatherOptions, Settled, WaitOptions, WaitResult } from '../../lib/types.js';
import { asCompleted } from '../../operators/asCompleted.js';
import { gather } from '../../operators/gather.js';
import { RingQueue } from '../../lib/internal/RingQueue.js';
import { readAsCompletedOptions } from '../../operators/internal/options.js';
import { wait } from '../../operators/wait.js';

/**
 * The Caller combinator methods, on top of the operators. `gather` and `wait` subscribe at once, in the
 * calling frame, so gathering the pending you run in fails with DeadlockError at once. `items` is read with
 * the package's own ObservableInput conversion (lib/internal/fromInput.ts, rxjs's `from` semantics) and the
 * async iterator feeds its operator through a plain Observable: rxjs's `from` and `Subject` would add
 * about 2 KB gzip to every app that makes a Caller (these are methods: a bundler cannot leave them out).
 */

/** `caller.gather(items, options)`: the gather operator over `items`, as a Pending. */
export function callerGather(_caller: SchedulerLike, items: Iterable<Awaitable<unknown>>, options?: GatherOptions): Pending<unknown[]> {
  expectIterable('items', items, false);
  return Pending.from(fromInput(items).pipe(gather<unknown>(options)));
}

/** `caller.wait(items, options)`: the wait operator over `items`, its timeout timed by the caller. */
export function callerWait<T>(caller: SchedulerLike, items: Iterable<Awaitable<T>>, options?: Omit<WaitOptions, 'scheduler'>): Pending<WaitResult<T>> {
  expectIterable('items', items, false);
  expectOptionsObject('options', options);
  return Pending.from(fromInput(items).pipe(wait<T>({ ...options, scheduler: caller })));
}

/** `caller.createPendingGroup(options)`: a PendingGroup whose body, made outside any call, runs as `caller`. */
export function callerCreatePendingGroup(caller: SchedulerLike, options?: Omit<PendingGroupOptions, 'scheduler'>): PendingGroup {
  expectOptionsObject('options', options);
  const group = new PendingGroup({ ...options, scheduler: caller });
  group._caller ??= caller;
  return group;
}

/**
 * `caller.asCompleted(items, options)`: an async iterator over the asCompleted operator, each settled member
 * handed out as a {@link Settled} record (an async iterator's values are not awaited by `for await`, but
 * TypeScript types them as if they were: a Pending would be typed as its value). `items` (an
 * iterable or async iterable) is pulled lazily: at most `maxConcurrent` members are out at once — started
 * and not yet taken by the consumer — so a generator of thunks or calls is bounded. Nothing starts before
 * the first `next()`.
 */
export function callerAsCompleted<T>(
  _caller: SchedulerLike,
  items: Iterable<Awaitable<T>> | AsyncIterable<Awaitable<T>>,
  options?: AsCompletedOptions,
): AsyncIterableIterator<Settled<T>> {
  const isAsync = expectIterable('items', items, true);
  const { maxConcurrent } = readAsCompletedOptions(options);
  const operator = asCompleted<T>(options);
  const iterator = isAsync ? (items as AsyncIterable<Awaitable<T>>)[Symbol.asyncIterator]() : (items as Iterable<Awaitable<T>>)[Symbol.iterator]();
  return new AsCompletedIterator<T>(iterator, isAsync, operator, maxConcurrent, currentFrame());
}

type Waiter<T> = { resolve: (result: IteratorResult<Settled<T>>) => void; reject: (error: unknown) => void };

class AsCompletedIterator<T> implements AsyncIterableIterator<Settled<T>> {
  /** The operator's source: `items`, pulled by `pump()`; set once subscribed. */
  #source: Subscriber<Awaitable<T>> | undefined;
  /** Members emitted (settled) and not yet taken by `next()`. */
  readonly #ready = new RingQueue<Pending<T>>();
  readonly #waiters = new RingQueue<Waiter<T>>();
  #subscription: Subscription | undefined;
  /** Members pulled from `items` and not yet taken by the consumer: the bound `maxConcurrent` applies to. */
  #out = 0;
  #started = false;
  #exhausted = false;
  /** A pull is under way: an async `next()` awaited, or the synchronous loop running. */
  #pulling = false;
  #closed = false;
  /** Whether the operator has ended; `failure`, its error, is thrown by one `next()`, then the iterator is done. */
  #ended = false;
  #failure: { error: unknown } | undefined;

  readonly #iterator: Iterator<Awaitable<T>> | AsyncIterator<Awaitable<T>>;
  readonly #isAsync: boolean;
  readonly #operator: OperatorFunction<Awaitable<T>, Pending<T>>;
  readonly #maxConcurrent: number;
  readonly #frame: Frame | undefined;

  constructor(
    iterator: Iterator<Awaitable<T>> | AsyncIterator<Awaitable<T>>,
    isAsync: boolean,
    operator: OperatorFunction<Awaitable<T>, Pending<T>>,
    maxConcurrent: number,
    frame: Frame | undefined,
  ) {
    this.#iterator = iterator;
    this.#isAsync = isAsync;
    this.#operator = operator;
    this.#maxConcurrent = maxConcurrent;
    this.#frame = frame;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<Settled<T>>> {
    if (!this.#started) this.#start();
    if (this.#ready.length > 0) return Promise.resolve(this.#take(this.#ready.shift()!));
    if (this.#ended || this.#closed) return this.#finished();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Stops early (a `break` out of `for await`): the operator's `cancelUnfinished` applies, `items` is closed. */
  return(): Promise<IteratorResult<Settled<T>>> {
    // A second return() finds nothing left to do: the subscription and the input are closed, no next() waits.
    this.#closed = true;
    this.#subscription?.unsubscribe();
    this.#closeInput();
    while (this.#waiters.length > 0) this.#waiters.shift()!.resolve({ done: true, value: undefined });
    return Promise.resolve({ done: true, value: undefined });
  }

  #start(): void {
    this.#started = true;
    // Subscribed in the frame of the code that made the iterator: members it starts later run as that code.
    this.#subscription = runInFrame(
      this.#frame,
      () =>
        new Observable<Awaitable<T>>((source) => {
          this.#source = source;
        })
          .pipe(this.#operator)
          .subscribe({
          next: (pending) => this.#emitted(pending),
          error: (error: unknown) => this.#end({ error }),
          complete: () => this.#end(undefined),
        }),
      undefined,
    );
    this.#pump();
  }

  #take(pending: Pending<T>): IteratorResult<Settled<T>> {
    this.#out--;
    this.#pump();
    return { done: false, value: settledRecord(pending) };
  }

  #emitted(pending: Pending<T>): void {
    if (this.#waiters.length > 0) this.#waiters.shift()!.resolve(this.#take(pending));
    else this.#ready.push(pending);
  }

  #end(failure: { error: unknown } | undefined): void {
    this.#ended = true;
    this.#failure = failure;
    // Read to its end already unless the operator failed (a deadlock): then it is closed here.
    this.#closeInput();
    while (this.#waiters.length > 0) {
      const waiter = this.#waiters.shift()!;
      this.#finished().then(waiter.resolve, waiter.reject);
    }
  }

  /** The end of the iteration: the operator's error once, then done. */
  #finished(): Promise<IteratorResult<Settled<T>>> {
    const failure = this.#failure;
    if (failure !== undefined) {
      this.#failure = undefined;
      return Promise.reject(failure.error);
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  /** Pulls members from `items` while fewer than `maxConcurrent` are out. */
  #pump(): void {
    if (this.#pulling) return;
    if (this.#isAsync) {
      if (this.#canPull()) {
        this.#pulling = true;
        this.#pullAsync();
      }
      return;
    }
    // Pulling can settle a member and free a slot at once: the flag keeps that from recursing.
    this.#pulling = true;
    try {
      while (this.#canPull()) this.#received(runInFrame(this.#frame, nextOf, this.#iterator as Iterator<Awaitable<T>>));
    } catch (error) {
      this.#inputFailed(error);
    } finally {
      this.#pulling = false;
    }
  }

  #canPull(): boolean {
    return !this.#closed && !this.#exhausted && !this.#ended && this.#out < this.#maxConcurrent;
  }

  /** One `next()` of an async iterable; `pulling` stays set until it answers. */
  #pullAsync(): void {
    let promise: Promise<IteratorResult<Awaitable<T>>>;
    try {
      promise = Promise.resolve(runInFrame(this.#frame, nextOf, this.#iterator as AsyncIterator<Awaitable<T>>));
    } catch (error) {
      this.#pulling = false;
      this.#inputFailed(error);
      return;
    }
    promise.then(
      (result) => {
        this.#pulling = false;
        if (this.#closed || this.#ended) return;
        this.#received(result);
        this.#pump();
      },
      (error: unknown) => {
        this.#pulling = false;
        this.#inputFailed(error);
      },
    );
  }

  #received(result: IteratorResult<Awaitable<T>>): void {
    if (result.done) {
      this.#exhausted = true;
      this.#source?.complete();
    } else {
      this.#out++;
      this.#source?.next(result.value);
    }
  }

  /** `items` threw: the iteration ends with that error (members still out are handled as on an early stop). */
  #inputFailed(error: unknown): void {
    if (this.#closed || this.#ended) return;
    this.#exhausted = true;
    this.#source?.error(error);
  }

  #closeInput(): void {
    if (this.#exhausted) return;
    this.#exhausted = true;
    try {
      const result = this.#iterator.return?.();
      if (this.#isAsync) Promise.resolve(result).then(undefined, reportError);
    } catch (error) {
      reportError(error);
    }
  }
}

/** The record of a settled member; a cancelled one is 'rejected' with its PendingCancelled. */
function settledRecord<T>(pending: Pending<T>): Settled<T> {
  if (pending.state === 'fulfilled') return { status: 'fulfilled', value: pending.result(), pending };
  let reason: unknown;
  try {
    reason = pending.exception();
  } catch (cancelled) {
    reason = cancelled;
  }
  return { status: 'rejected', reason, pending };
}

function nextOf<I extends Iterator<unknown> | AsyncIterator<unknown>>(iterator: I): ReturnType<I['next']> {
  return iterator.next() as ReturnType<I['next']>;
}

/** Checks that `value` is iterable (or async iterable, when allowed); returns whether it is async. */
function expectIterable(name: string, value: unknown, allowAsync: boolean): boolean {
  const v = value as Record<symbol, unknown>;
  // A string is iterable, but never meant as a list of members. (null and undefined fail the checks: holds() catches the read.)
  if (typeof v !== 'string') {
    if (allowAsync && holds(() => typeof v[Symbol.asyncIterator] === 'function')) return true;
    if (holds(() => typeof v[Symbol.iterator] === 'function')) return false;
  }
  throw new TypeError(`Expected \`${name}\` to be an iterable${allowAsync ? ' or async iterable' : ''} of Pendings, ObservableInputs or functions returning one, got ${got(value)}`);
}

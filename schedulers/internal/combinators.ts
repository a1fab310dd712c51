import { Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import { Pending } from '../../lib/Pending.js';
import { PendingGroup, type PendingGroupOptions } from '../../lib/PendingGroup.js';
import { currentFrame, runInFrame } from '../../lib/internal/context.js';
import { fromInput } from '../../lib/internal/fromInput.js';
import { reportError } from '../../lib/internal/report.js';
import { failureOf } from '../../lib/internal/settlement.js';
import { expectOptionsObject, got, holds } from '../../lib/internal/validate.js';
import type { AsCompletedOptions, Awaitable, GatherOptions, Settled, WaitOptions, WaitResult } from '../../lib/types.js';
import { asCompleted } from '../../operators/asCompleted.js';
import { gather } from '../../operators/gather.js';
import { ChunkQueue } from '../../lib/internal/ChunkQueue.js';
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
  const frame = currentFrame();
  // The iterator's state lives in this closure (locals minify to one letter; properties would not).
  /** The operator's source: `items`, pulled by `pump()`; set once subscribed. */
  let source: Subscriber<Awaitable<T>> | undefined;
  /** Members emitted (settled) and not yet taken by `next()`. */
  const ready = new ChunkQueue<Pending<T>>();
  const waiters = new ChunkQueue<Waiter<T>>();
  let subscription: Subscription | undefined;
  /** Members pulled from `items` and not yet taken by the consumer: the bound `maxConcurrent` applies to. */
  let out = 0;
  let started = false;
  let exhausted = false;
  /** A pull is under way: an async `next()` awaited, or the synchronous loop running. */
  let pulling = false;
  let closed = false;
  /** Whether the operator has ended; `failure`, its error, is thrown by one `next()`, then the iterator is done. */
  let ended = false;
  let failure: { error: unknown } | undefined;

  const take = (pending: Pending<T>): IteratorResult<Settled<T>> => {
    out--;
    pump();
    return { done: false, value: settledRecord(pending) };
  };

  const end = (outcome: { error: unknown } | undefined): void => {
    ended = true;
    failure = outcome;
    // Read to its end already unless the operator failed (a deadlock): then it is closed here.
    closeInput();
    while (waiters.length > 0) {
      const waiter = waiters.shift()!;
      finished().then(waiter.resolve, waiter.reject);
    }
  };

  /** The end of the iteration: the operator's error once, then done. */
  const finished = (): Promise<IteratorResult<Settled<T>>> => {
    const outcome = failure;
    if (outcome !== undefined) {
      failure = undefined;
      return Promise.reject(outcome.error);
    }
    return Promise.resolve({ done: true, value: undefined });
  };

  /** Pulls members from `items` while fewer than `maxConcurrent` are out. */
  const pump = (): void => {
    if (pulling) return;
    if (isAsync) {
      if (canPull()) {
        pulling = true;
        pullAsync();
      }
      return;
    }
    // Pulling can settle a member and free a slot at once: the flag keeps that from recursing.
    pulling = true;
    try {
      while (canPull()) received(runInFrame(frame, nextOf, iterator as Iterator<Awaitable<T>>));
    } catch (error) {
      inputFailed(error);
    } finally {
      pulling = false;
    }
  };

  const canPull = (): boolean => !closed && !exhausted && !ended && out < maxConcurrent;

  /** One `next()` of an async iterable; `pulling` stays set until it answers. */
  const pullAsync = (): void => {
    let promise: Promise<IteratorResult<Awaitable<T>>>;
    try {
      promise = Promise.resolve(runInFrame(frame, nextOf, iterator as AsyncIterator<Awaitable<T>>));
    } catch (error) {
      pulling = false;
      inputFailed(error);
      return;
    }
    promise.then(
      (result) => {
        pulling = false;
        if (closed || ended) return;
        received(result);
        pump();
      },
      (error: unknown) => {
        pulling = false;
        inputFailed(error);
      },
    );
  };

  const received = (result: IteratorResult<Awaitable<T>>): void => {
    if (result.done) {
      exhausted = true;
      source?.complete();
    } else {
      out++;
      source?.next(result.value);
    }
  };

  /** `items` threw: the iteration ends with that error (members still out are handled as on an early stop). */
  const inputFailed = (error: unknown): void => {
    if (closed || ended) return;
    exhausted = true;
    source?.error(error);
  };

  const closeInput = (): void => {
    if (exhausted) return;
    exhausted = true;
    try {
      const result = iterator.return?.();
      if (isAsync) Promise.resolve(result).then(undefined, reportError);
    } catch (error) {
      reportError(error);
    }
  };

  return {
    [Symbol.asyncIterator]() {
      return this;
    },

    next(): Promise<IteratorResult<Settled<T>>> {
      if (!started) {
        started = true;
        // Subscribed in the frame of the code that made the iterator: members it starts later run as that code.
        subscription = runInFrame(
          frame,
          () =>
            new Observable<Awaitable<T>>((subscriber) => {
              source = subscriber;
            })
              .pipe(operator)
              .subscribe({
                next: (pending) => {
                  if (waiters.length > 0) waiters.shift()!.resolve(take(pending));
                  else ready.push(pending);
                },
                error: (error: unknown) => end({ error }),
                complete: () => end(undefined),
              }),
          undefined,
        );
        pump();
      }
      if (ready.length > 0) return Promise.resolve(take(ready.shift()!));
      if (ended || closed) return finished();
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },

    /** Stops early (a `break` out of `for await`): the operator's `cancelUnfinished` applies, `items` is closed. */
    return(): Promise<IteratorResult<Settled<T>>> {
      // A second return() finds nothing left to do: the subscription and the input are closed, no next() waits.
      closed = true;
      subscription?.unsubscribe();
      closeInput();
      while (waiters.length > 0) waiters.shift()!.resolve({ done: true, value: undefined });
      return Promise.resolve({ done: true, value: undefined });
    },
  };
}

type Waiter<T> = { resolve: (result: IteratorResult<Settled<T>>) => void; reject: (error: unknown) => void };

/** The record of a settled member (the operator marked it observed); a cancelled one is 'rejected' with its PendingCancelled. */
function settledRecord<T>(pending: Pending<T>): Settled<T> {
  if (pending.state === 'fulfilled') return { status: 'fulfilled', value: pending.result(), pending };
  return { status: 'rejected', reason: failureOf(pending), pending };
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

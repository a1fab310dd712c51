import { Observable, observable, type ObservableInput, type Subscriber } from 'rxjs';
import { got } from './validate.js';

/**
 * rxjs's `from(input)` for the inputs `Pending.from` accepts, with the same semantics — values, order,
 * completion, errors, and what unsubscribing stops — but without rxjs's scheduling helpers: rxjs's `from`
 * is 2.4 KB gzip that every bundle of `Pending` would carry (Pending.from is a static method, which a bundler
 * cannot leave out). Kinds are tried in rxjs's order: an Observable (or `Symbol.observable` interop), an
 * array-like (strings too), a promise-like, an async iterable, an iterable, a ReadableStream-like.
 * `spec/lib/fromInput.spec.ts` checks it against rxjs's `from` on each kind.
 * @throws TypeError when `input` is none of these.
 */
export function fromInput<T>(input: ObservableInput<T>): Observable<T> {
  if (input instanceof Observable) return input;
  return new Observable<T>((subscriber) => subscribeTo(input as unknown as Record<PropertyKey, never>, subscriber as Subscriber<unknown>));
}

function subscribeTo(input: Record<PropertyKey, never>, subscriber: Subscriber<unknown>): (() => void) | void {
  if (input !== null && input !== undefined) {
    if (typeof input[observable as unknown as string] === 'function') {
      const interop = (input[observable as unknown as string] as unknown as () => { subscribe?: unknown } | undefined)();
      if (typeof interop?.subscribe !== 'function') throw new TypeError('Expected the object returned by `[Symbol.observable]()` to have a `subscribe` method');
      const subscription = (interop.subscribe as (observer: Subscriber<unknown>) => { unsubscribe(): void })(subscriber);
      return () => subscription.unsubscribe();
    }
    if (typeof input !== 'function' && typeof (input as { length?: unknown }).length === 'number') {
      const arrayLike = input as unknown as ArrayLike<unknown>;
      for (let i = 0; i < arrayLike.length && !subscriber.closed; i++) subscriber.next(arrayLike[i]);
      subscriber.complete();
      return;
    }
    if (typeof (input as { then?: unknown }).then === 'function') {
      (input as unknown as PromiseLike<unknown>).then(
        (value) => {
          if (subscriber.closed) return;
          subscriber.next(value);
          subscriber.complete();
        },
        (error: unknown) => subscriber.error(error),
      );
      return;
    }
    if (typeof input[Symbol.asyncIterator] === 'function') return forAwait(input as unknown as AsyncIterable<unknown>, subscriber);
    if (typeof input[Symbol.iterator] === 'function') {
      for (const value of input as unknown as Iterable<unknown>) {
        subscriber.next(value);
        if (subscriber.closed) return;
      }
      subscriber.complete();
      return;
    }
    if (typeof (input as { getReader?: unknown }).getReader === 'function') return forAwait(readStream(input as unknown as ReadableStreamLike), subscriber);
  }
  throw new TypeError(`Expected an ObservableInput (Observable, Promise, array, iterable, async iterable or ReadableStream), got ${got(input)}`);
}

/** Emits the values of an async iterable; it stops pulling (and `return()`s it) after the first value that finds the subscriber closed. */
function forAwait(input: AsyncIterable<unknown>, subscriber: Subscriber<unknown>): void {
  (async () => {
    for await (const value of input) {
      subscriber.next(value);
      if (subscriber.closed) return;
    }
    subscriber.complete();
  })().catch((error: unknown) => subscriber.error(error));
}

interface ReadableStreamLike {
  getReader(): { read(): PromiseLike<{ done: boolean; value?: unknown }>; releaseLock(): void };
}

/** A ReadableStream's chunks as an async iterable; the reader's lock is released when iteration ends. */
async function* readStream(stream: ReadableStreamLike): AsyncGenerator<unknown> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

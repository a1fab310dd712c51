/** Values the structured clone algorithm keeps as they are (their class and methods survive the copy). */
type KeptAsIs = Date | RegExp | ArrayBuffer | SharedArrayBuffer | ArrayBufferView | Error;

/**
 * What a value becomes on the other side of a thread boundary, as the structured clone algorithm delivers
 * it: primitives, `Date`, `RegExp`, buffers, typed arrays and errors as they are; `Map`, `Set`, arrays and
 * tuples element by element; any other object — a class instance included — as a plain object of its
 * own data properties, its prototype and methods lost. Functions and symbols cannot be cloned (the call
 * fails with `DataCloneError`), so a property holding one is dropped and a bare one is `never`.
 * Host objects the DOM defines (a transferred `MessagePort`, a `Blob`) are kept when they look like one.
 *
 * `toThread`, `ThreadCaller.callSoon`/`callLater`/`observe` and `runSync` type their results with it, so
 * `toThread(identity, new Point(3))` is a `Pending<{ x: number }>`, not a `Pending<Point>`.
 *
 * @example
 * import type { Cloned } from 'rxjs-caller';
 * class Point { constructor(readonly x: number) {} norm() { return Math.abs(this.x); } }
 * type Arrived = Cloned<Point>; // { readonly x: number }
 */
export type Cloned<T> = T extends string | number | boolean | bigint | null | undefined | void
  ? T
  : T extends symbol | ((...args: never[]) => unknown)
    ? never
    : T extends KeptAsIs | MessagePortLike | BlobLike
      ? T
      : T extends ReadonlyMap<infer K, infer V>
        ? Map<Cloned<K>, Cloned<V>>
        : T extends ReadonlySet<infer V>
          ? Set<Cloned<V>>
          : T extends readonly unknown[]
            ? { -readonly [K in keyof T]: Cloned<T[K]> }
            : { [K in keyof T as T[K] extends symbol | ((...args: never[]) => unknown) ? never : K]: Cloned<T[K]> };

/** A `MessagePort` (browsers or Node), recognised by shape so no DOM or Node typings are needed. */
interface MessagePortLike {
  postMessage(message: unknown, ...rest: never[]): void;
  close(): void;
  start(): void;
}

/** A `Blob` or `File`, recognised by shape. */
interface BlobLike {
  readonly size: number;
  readonly type: string;
  arrayBuffer(): Promise<ArrayBuffer>;
  slice(...args: never[]): unknown;
}

import { threadState, type AsyncLocalStorageLike, type Frame } from './threadState.js';

/**
 * The current call frame. In Node it follows the call across `await`s through AsyncLocalStorage; in
 * hosts without it (browsers), it holds for the synchronous part of a call only.
 */

type NodeProcess = { getBuiltinModule?: (id: string) => { AsyncLocalStorage?: new () => AsyncLocalStorageLike } | undefined };

function storage(): AsyncLocalStorageLike | null {
  let s = threadState.storage;
  if (s === undefined) {
    // getBuiltinModule works the same from ESM and CJS and is invisible to browser bundlers.
    const proc = (globalThis as { process?: NodeProcess }).process;
    const Storage = proc?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage;
    s = threadState.storage = Storage ? new Storage() : null;
  }
  return s;
}

export function currentFrame(): Frame | undefined {
  const s = storage();
  return s ? (s.getStore() as Frame | undefined) : threadState.syncFrame;
}

/** Runs `fn(arg)` with `frame` as the current frame. */
export function runInFrame<A, R>(frame: Frame | undefined, fn: (arg: A) => R, arg: A): R {
  const s = storage();
  if (s) return s.run(frame, fn, arg);
  const outer = threadState.syncFrame;
  threadState.syncFrame = frame;
  try {
    return fn(arg);
  } finally {
    threadState.syncFrame = outer;
  }
}

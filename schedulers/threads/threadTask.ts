import { got } from '../../lib/internal/validate.js';
// Whoever names a thread task uses threads: bring the pool that `toThread` runs on.
import './internal/registerThreadPool.js';
import { THREAD_TASK } from './internal/threadTaskBrand.js';

/** Carries a task's signature in its type only; never present at run time. */
declare const signature: unique symbol;

export { THREAD_TASK } from './internal/threadTaskBrand.js';

/**
 * A function that runs on a worker thread, named by its module and export so the worker can load it.
 * Made by {@link threadTask} or {@link threadModule}; its type parameters are the function's arguments
 * `A` and result `R`, so a call with the wrong arguments is a compile error.
 *
 * @example
 * import { Caller, threadTask } from 'rxjs-caller';
 * import type { fib } from './tasks.js';
 * const task = threadTask<typeof fib>(new URL('./tasks.js', import.meta.url), 'fib');
 * const n = await Caller.current().toThread(task, 30);
 */
export interface ThreadTask<A extends unknown[], R> {
  /** Where the worker imports the task from: an absolute path, a URL, or a bare package specifier. */
  readonly moduleUrl: string;
  /** The export that is the task function (`'default'` for a default export). */
  readonly exportName: string;
  /** Type-level only. */
  readonly [signature]?: (...args: A) => R;
}

/** Any thread task, whatever its signature. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyThreadTask = ThreadTask<any[], unknown>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => unknown;

/**
 * Names the export `exportName` of the module at `moduleUrl` as a task for worker threads. The module is
 * loaded once per worker, on the first call that needs it. Give the function's type as the type
 * argument (`threadTask<typeof fib>(…)`) to type the calls: arguments and result are then checked.
 *
 * Nothing is loaded here: a module that does not exist, throws while loading or lacks the export fails
 * the calls made with the task, each with an error naming the module.
 *
 * @example
 * import { Caller, threadTask } from 'rxjs-caller';
 * import type { fib } from './tasks.js';
 * const fibTask = threadTask<typeof fib>(new URL('./tasks.js', import.meta.url), 'fib');
 * console.log(await Caller.current().toThread(fibTask, 30));
 * @param moduleUrl An absolute path, a `file:` (or, in browsers, `http(s):`) URL, or a bare package
 *   specifier. Relative paths are refused: a worker could not tell what they are relative to.
 * @param exportName The export to call (`'default'` for a default export).
 * @returns a frozen {@link ThreadTask}.
 * @throws TypeError when `moduleUrl` is not an absolute path, URL or package name, or `exportName` is not a non-empty string.
 */
export function threadTask<F extends AnyFunction = (...args: unknown[]) => unknown>(moduleUrl: string | URL, exportName: string): ThreadTask<Parameters<F>, ReturnType<F>> {
  const url = checkModuleUrl(moduleUrl);
  if (typeof exportName !== 'string' || exportName === '') throw new TypeError(`Expected \`exportName\` to be a non-empty string, got ${got(exportName)}`);
  return Object.freeze({ moduleUrl: url, exportName, [THREAD_TASK]: true }) as ThreadTask<Parameters<F>, ReturnType<F>>;
}

/** @internal The module specifier the worker loads, from what the user gave. */
export function checkModuleUrl(moduleUrl: unknown): string {
  const url = typeof moduleUrl === 'object' && moduleUrl !== null && typeof (moduleUrl as URL).href === 'string' ? (moduleUrl as URL).href : moduleUrl;
  if (typeof url !== 'string' || url === '' || url.startsWith('.')) {
    throw new TypeError(
      `Expected \`moduleUrl\` to be an absolute path, a URL or a package name, got ${got(moduleUrl)}` +
        (typeof url === 'string' && url.startsWith('.') ? ' (relative paths are ambiguous in a worker: use new URL(path, import.meta.url) or require.resolve(path))' : ''),
    );
  }
  return url;
}

import { checkModuleUrl, threadTask, type ThreadTask } from './threadTask.js';

/** The function exports of module type `M`, each as a typed {@link ThreadTask}. */
export type ThreadModule<M> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly [K in keyof M as M[K] extends (...args: any[]) => unknown ? K : never]: M[K] extends (...args: infer A) => infer R ? ThreadTask<A, R> : never;
};

/**
 * All the function exports of one module as typed tasks: `threadModule<typeof import('./tasks.js')>(url).fib`
 * is `threadTask<typeof fib>(url, 'fib')`. Only the types are imported on this side; the module itself
 * is loaded by each worker, once, on the first call that needs it.
 *
 * @example
 * import { Caller, threadModule } from 'rxjs-caller';
 * const tasks = threadModule<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * const [a, b] = await Promise.all([Caller.current().toThread(tasks.fib, 30), Caller.current().toThread(tasks.hash, 'x')]);
 * @param moduleUrl An absolute path, a URL or a bare package specifier (see {@link threadTask}).
 * @returns an object whose properties are the module's tasks (made on first access, then reused).
 * @throws TypeError when `moduleUrl` is not an absolute path, URL or package name.
 */
export function threadModule<M>(moduleUrl: string | URL): ThreadModule<M> {
  const url = checkModuleUrl(moduleUrl);
  const tasks = new Map<string, ThreadTask<unknown[], unknown>>();
  return new Proxy(Object.create(null) as ThreadModule<M>, {
    get(_target, key) {
      // Not a task: symbols, and `then` (so awaiting the object does not take it for a promise).
      if (typeof key !== 'string' || key === 'then') return undefined;
      let task = tasks.get(key);
      if (task === undefined) tasks.set(key, (task = threadTask(url, key)));
      return task;
    },
  });
}

import { LruMap } from '../../../lib/internal/LruMap.js';
import { got } from '../../../lib/internal/validate.js';
import type { ModuleTaskRef, SourceTaskRef, TaskRef } from './protocol.js';

type TaskFunction = (...args: unknown[]) => unknown;
type NodeProcess = { getBuiltinModule?: (id: string) => unknown };
type NodeUrl = { fileURLToPath(url: string): string; pathToFileURL(path: string): URL };

/**
 * Finds a task's function inside a worker. Modules are loaded once per worker; a module that fails to
 * load fails every call for it with the same error (naming the module), and stays failed in this worker.
 * Self-contained functions are compiled once per source.
 *
 * @returns the function at once when it is ready, else a promise of it (the first call of a module).
 */
export function resolveTask(ref: TaskRef): TaskFunction | Promise<TaskFunction> {
  return 'module' in ref ? fromModule(ref) : fromSource(ref);
}

/** Module (or its loading promise, or its failure) by specifier. */
const modules = new Map<string, Record<string, unknown> | Promise<Record<string, unknown>> | Failure>();
/** Compiled self-contained functions by source (the recently used ones: sources may be generated). */
const compiled = new LruMap<string, TaskFunction | Failure>(512);

/**
 * Makes `exports` the task module `id` inside this worker, for a worker an app bundles itself (made by
 * `config.createWorker`): the bundle imports its task modules and registers each under a name, and the
 * page addresses them by that name — `threadModule<typeof import('./search.tasks')>('search-tasks')`.
 * A registered name is never imported.
 *
 * @example
 * // app.worker.ts, started with config.createWorker = () => new Worker(new URL('./app.worker', import.meta.url), { type: 'module' })
 * import { registerTaskModule } from 'rxjs-caller/worker';
 * import * as searchTasks from './search.tasks';
 * registerTaskModule('search-tasks', searchTasks);
 * @param id The name the page gives to `threadModule` / `threadTask` (not starting with '.').
 * @param exports The module's exports (`import * as tasks from …`).
 * @throws TypeError when `id` is not a non-empty string or `exports` not an object.
 */
export function registerTaskModule(id: string, exports: object): void {
  if (typeof id !== 'string' || id === '' || id.startsWith('.')) throw new TypeError(`Expected \`id\` to be a non-empty name not starting with '.', got ${got(id)}`);
  if (typeof exports !== 'object' || exports === null) throw new TypeError(`Expected \`exports\` to be a module namespace object, got ${got(exports)}`);
  modules.set(id, exports as Record<string, unknown>);
}

class Failure {
  constructor(readonly error: unknown) {}
}

function fromModule(ref: ModuleTaskRef): TaskFunction | Promise<TaskFunction> {
  let entry = modules.get(ref.module);
  if (entry === undefined) {
    try {
      const loaded = loadModule(ref.module);
      if (isPromise(loaded)) {
        const promise = loaded.then(
          (exports) => {
            modules.set(ref.module, exports);
            return exports;
          },
          (error: unknown) => {
            const failure = new Failure(loadError(ref, error));
            modules.set(ref.module, failure);
            throw failure.error;
          },
        );
        promise.catch(() => {});
        entry = promise;
      } else {
        entry = loaded;
      }
    } catch (error) {
      entry = new Failure(loadError(ref, error));
    }
    modules.set(ref.module, entry);
  }
  if (entry instanceof Failure) throw entry.error;
  if (isPromise(entry)) return entry.then((exports) => pick(ref, exports));
  return pick(ref, entry);
}

function pick(ref: ModuleTaskRef, exports: Record<string, unknown>): TaskFunction {
  // `module.exports = fn` loaded by `require` is the function itself: its default export.
  let fn = ref.name === 'default' && typeof exports === 'function' ? exports : exports[ref.name];
  // A CommonJS module imported as ESM puts its exports under `default`.
  if (fn === undefined && ref.name !== 'default' && typeof exports.default === 'object' && exports.default !== null) {
    fn = (exports.default as Record<string, unknown>)[ref.name];
  }
  if (typeof fn !== 'function') {
    const names = Object.keys(exports).filter((k) => typeof exports[k] === 'function');
    throw new TypeError(`Thread task module ${ref.module} has no function export '${ref.name}' (its function exports: ${names.length ? names.join(', ') : 'none'})`);
  }
  return fn as TaskFunction;
}

function loadError(ref: ModuleTaskRef, cause: unknown): Error {
  const detail = cause instanceof Error || (typeof cause === 'object' && cause !== null && 'message' in cause) ? `${(cause as Error).name}: ${(cause as Error).message}` : String(cause);
  const hint = /\.[cm]?tsx?$/.test(ref.module) ? TYPESCRIPT_HINT : '';
  return new Error(`Could not load thread task module ${ref.module} (for task '${ref.name}'): ${detail}${hint}`, { cause });
}

const TYPESCRIPT_HINT =
  ". A TypeScript task module needs a TypeScript loader in the worker: run the app under tsx (`node --import tsx app.ts`; its workers inherit it), give a ThreadCaller `execArgv: ['--require', 'tsx/cjs']`, or build the module to JavaScript";

function loadModule(specifier: string): Record<string, unknown> | Promise<Record<string, unknown>> {
  const url = nodeUrl();
  // Where a CommonJS `require` exists (the CJS build, or sources run through a TypeScript hook) it is
  // tried first: it loads what the host's loader hooks know (`.ts` under tsx or jest), synchronously.
  // In Node only: a browser bundle's `require` is a bundler shim that loads nothing, and the
  // `new Function` below would break pages whose Content-Security-Policy forbids eval.
  const load = url === undefined ? undefined : typeof require === 'function' ? require : typeScriptRequire(specifier);
  if (url !== undefined && load !== undefined) {
    if (!/^(?:https?|data|blob):/.test(specifier) && !specifier.endsWith('.mjs')) {
      try {
        return load(specifier.startsWith('file:') && url ? url.fileURLToPath(specifier) : specifier) as Record<string, unknown>;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
      }
    }
    // What `require` cannot load: a real dynamic import, which tsc would turn into `require` in the
    // CommonJS build if it were written as `import()`.
    return (new Function('s', 'return import(s)') as (s: string) => Promise<Record<string, unknown>>)(toImportable(specifier, url));
  }
  return import(/* webpackIgnore: true */ /* @vite-ignore */ toImportable(specifier, url)) as Promise<Record<string, unknown>>;
}

/**
 * In the ESM build, a `require` for a TypeScript task module: Node 20 runs no ESM loader hooks in worker
 * threads (tsx's `--import tsx` included), so `import()` of a `.ts` file fails there with
 * "Unknown file extension", while tsx's CommonJS hook (`--import tsx` or `--require tsx/cjs`) loads it.
 */
function typeScriptRequire(specifier: string): ((id: string) => unknown) | undefined {
  if (!/\.[cm]?tsx?$/.test(specifier)) return undefined;
  const mod = (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:module') as { createRequire?(from: string): (id: string) => unknown } | undefined;
  const cwd = (globalThis as { process?: { cwd?(): string } }).process?.cwd?.();
  // Absolute specifiers only reach here (threadTask refuses relative ones): the base only matters for bare names.
  return mod?.createRequire !== undefined && cwd !== undefined ? mod.createRequire(`${cwd}/`) : undefined;
}

/** Absolute paths become file URLs (a Windows path is not a valid import specifier). */
function toImportable(specifier: string, url: NodeUrl | undefined): string {
  if (url && (specifier.startsWith('/') || /^[A-Za-z]:[\\/]/.test(specifier))) return url.pathToFileURL(specifier).href;
  return specifier;
}

function nodeUrl(): NodeUrl | undefined {
  return (globalThis as { process?: NodeProcess }).process?.getBuiltinModule?.('node:url') as NodeUrl | undefined;
}

function fromSource(ref: SourceTaskRef): TaskFunction {
  let entry = compiled.get(ref.source);
  if (entry === undefined) {
    entry = compile(ref);
    compiled.set(ref.source, entry);
  }
  if (entry instanceof Failure) throw entry.error;
  return entry;
}

function compile(ref: SourceTaskRef): TaskFunction | Failure {
  let first: unknown;
  // An arrow or function expression; then a method written in shorthand (`name(a) { … }`).
  for (const body of [`return (${ref.source}\n);`, `return ({ ${ref.source}\n })[${JSON.stringify(ref.name)}];`]) {
    try {
      const fn = new Function(body)() as unknown;
      if (typeof fn === 'function') return fn as TaskFunction;
    } catch (error) {
      // A Content-Security-Policy without 'unsafe-eval' (browsers) forbids compiling any source.
      if ((error as Error | undefined)?.name === 'EvalError') {
        const message = `The inline function ${ref.name ? `'${ref.name}' ` : ''}sent to a thread cannot be compiled in this worker: ${(error as Error).message} Put the function in a module and use threadTask().`;
        return new Failure(new EvalError(message, { cause: error }));
      }
      first ??= error;
    }
  }
  const detail = first instanceof Error ? `${first.name}: ${first.message}` : String(first);
  return new Failure(new SyntaxError(`Could not compile the inline function ${ref.name ? `'${ref.name}' ` : ''}sent to a thread: ${detail}`, { cause: first }));
}

/**
 * An inline function that reads a variable from where it was written finds nothing in the worker: the
 * ReferenceError is rewritten to say which name and what to do.
 */
export function explainInlineError(ref: TaskRef, error: unknown): unknown {
  if ('module' in ref || (error as Error | undefined)?.name !== 'ReferenceError') return error;
  const missing = /^(\S+) is not defined$/.exec(String((error as Error).message))?.[1];
  if (missing === undefined) return error;
  const fn = ref.name ? `'${ref.name}'` : '(anonymous)';
  return new ReferenceError(
    `The inline function ${fn} sent to a thread uses \`${missing}\`, which does not exist in the worker: a function sent as source must be self-contained. Pass \`${missing}\` as an argument, define it inside the function, or put the function in a module and use threadTask().`,
    { cause: error },
  );
}

function isPromise<T>(value: unknown): value is Promise<T> {
  return typeof (value as Promise<T> | undefined)?.then === 'function';
}

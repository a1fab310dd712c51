import { ipcEndpoint, type ThreadHost } from './Endpoint.js';
import { resolveWorkerEntry } from './workerEntry.js';

/** The argument that tells the worker entry it runs in a child process started by a ProcessCaller. */
export const CHILD_PROCESS_FLAG = '--rxjs-caller-child';

/** Options a child process is started with (see {@link ProcessOptions}). */
export interface SpawnProcessOptions {
  workerEntry?: string | URL;
  execArgv?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string | URL;
}

/** A running child process, seen from its parent. */
export interface ProcessHost extends ThreadHost {
  /** Its process id (undefined when it failed to start). */
  readonly pid: number | undefined;
}

/** Starts a child process running the worker entry. */
export type SpawnProcess = (options: SpawnProcessOptions) => ProcessHost;

type ChildProcess = {
  readonly pid?: number;
  readonly channel?: { ref?(): void; unref?(): void } | null;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: 'message', listener: (data: unknown) => void): unknown;
  send(message: unknown, sendHandle: undefined, options: undefined, callback: (error: Error | null) => void): boolean;
  kill(signal: string): boolean;
  ref(): void;
  unref(): void;
};
type ChildProcessModule = { fork(path: string, args: string[], options: object): ChildProcess };
type UrlModule = { fileURLToPath(url: string | URL): string };

export const spawnProcess: SpawnProcess = (options) => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const cp = proc?.getBuiltinModule?.('node:child_process') as ChildProcessModule | undefined;
  if (cp === undefined) throw new Error('ProcessCaller needs Node >= 20.16 (child_process): use a ThreadCaller in a browser');
  const entry = resolveWorkerEntry(options.workerEntry);
  const execArgv = options.execArgv ?? entry.execArgv ?? childExecArgv((proc as { execArgv?: string[] }).execArgv ?? []);
  // fork() wants a path; `advanced` serialization structured-clones, as postMessage between threads does.
  const child = cp.fork(toPath(entry.url, proc), [CHILD_PROCESS_FLAG], {
    serialization: 'advanced',
    ...(execArgv !== undefined && { execArgv }),
    ...(options.env !== undefined && { env: options.env }),
    ...(options.cwd !== undefined && { cwd: toPath(options.cwd, proc) }),
  });
  let exitListener: ((code: number, error: unknown) => void) | undefined;
  let exited = false;
  let resolveExited!: () => void;
  const whenExited = new Promise<void>((resolve) => (resolveExited = resolve));
  const exit = (code: number, error: unknown) => {
    if (exited) return;
    exited = true;
    resolveExited();
    exitListener?.(code, error);
  };
  // A child that could not be started (a bad cwd, say) gets an 'error' and no 'exit'.
  child.on('error', (error: unknown) => {
    if (child.pid === undefined) exit(1, error);
  });
  // By 'exit' the IPC channel has disconnected, so every message the child sent has been received.
  child.on('exit', (code: number | null, signal: string | null) => exit(code ?? 1, signal === null ? undefined : new Error(`killed by ${signal}`)));
  return {
    pid: child.pid,
    endpoint: ipcEndpoint(child),
    onExit(listener) {
      exitListener = listener;
    },
    terminate() {
      // SIGKILL: a process stuck in a synchronous loop, or handling SIGTERM itself, still ends.
      if (!exited) child.kill('SIGKILL');
      return whenExited;
    },
    ref() {
      child.ref();
      child.channel?.ref?.();
    },
    unref() {
      child.unref();
      child.channel?.unref?.();
    },
  };
};

/**
 * Options of the parent that a child running the worker entry must not inherit: they say how to run
 * the parent's own input (`--input-type=module`, `--eval`), run it differently (`--test`, `--watch`), or
 * claim what only one process can have (an inspector port).
 */
const NOT_INHERITED = /^(?:--input-type|--eval|-e|--print|-p|--check|-c|--interactive|-i|--test(?:-[a-z-]+)?|--watch(?:-[a-z-]+)?|--inspect(?:-[a-z-]+)?|--debug(?:-[a-z-]+)?)$/;
/** Those of them written with their value as the next argument (`--eval 'code'`, `--input-type module`). */
const TAKES_VALUE = /^(?:--input-type|--eval|-e|--print|-p|--test-(?:name-pattern|skip-pattern|reporter|reporter-destination|concurrency|timeout|shard)|--watch-path|--inspect-port|--debug-port)$/;

/** The parent's Node options, less those a child process must not inherit. */
export function childExecArgv(parent: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const arg = parent[i]!;
    const flag = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    if (!NOT_INHERITED.test(flag)) kept.push(arg);
    else if (flag === arg && TAKES_VALUE.test(flag)) i++;
  }
  return kept;
}

function toPath(location: string | URL, proc: { getBuiltinModule?: (id: string) => unknown } | undefined): string {
  if (typeof location === 'string' && !location.startsWith('file:')) return location;
  return (proc!.getBuiltinModule!('node:url') as UrlModule).fileURLToPath(location);
}

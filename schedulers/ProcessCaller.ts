import { threadState } from '../lib/internal/threadState.js';
import { registerLinkedChildKind, type LinkedChildKind } from './internal/childCallers.js';
import { expectOptionsObject, got } from '../lib/internal/validate.js';
import { backTargetsFor, cancelGrace } from './threads/internal/backTargets.js';
import { checkExecArgv, checkWorkerEntry } from './threads/internal/checkOptions.js';
import { checkLinkedCallerOptions, LinkedCaller } from './threads/internal/LinkedCaller.js';
import { spawnProcess, type ProcessHost, type SpawnProcess } from './threads/internal/spawnProcess.js';
import type { ProcessOptions } from './threads/ProcessOptions.js';
import { isBranded } from '../lib/internal/brand.js';

export type { ProcessOptions } from './threads/ProcessOptions.js';

/** Options of `new ProcessCaller()`; `Caller.get({ name, process })` makes one for you. */
export interface ProcessCallerOptions {
  /** Shown by `toString()`; inside the child process it is the name of `Caller.current()`. */
  name: string;
  /** The caller that made it (it stops with its parent; inside the child, `Caller.current().parent` is a handle to it). */
  parent: object;
  /** How the child process is started. */
  process?: ProcessOptions;
  /** @internal Starts the child process. */
  spawn?: SpawnProcess;
}

/**
 * A child caller living in its own Node child process: the ThreadCaller API (`callSoon`, `callLater`,
 * `observe`, `stop`, `started`/`stopping`/`stopped`), for work that must not share a process with its
 * parent — native code that may crash, memory that must be given back, a separate heap limit. Calls run
 * in the child, in order, on its own caller (`Caller.current()` there; `Caller.current().parent` and
 * `Caller.main()` are handles back to this process). Made by `caller.get({ name, process: true })`, it is
 * one of its parent's `children` and stops with it.
 *
 * The child is started with `child_process.fork(…, { serialization: 'advanced' })`: arguments, results
 * and stream values are structured-cloned as between threads, but `transfer()`ed buffers are copied (a
 * process shares no memory; the sender keeps its copy), and a cancel reaches the task's signal through a
 * message only, so a task in a synchronous loop sees it only once the loop yields; one that has not after
 * `Caller.CANCEL_GRACE` ms gets its child killed and a new one started (the calls the old child held fail
 * with {@link WorkerCrashedError}: without shared memory it cannot tell which it had begun). The child
 * inherits the parent's Node options except those about the parent's own input or tooling
 * (`--input-type`, `--eval`, `--test…`, `--inspect…`); idle, it does not keep the parent alive. A child that exits or crashes rejects the calls it held with {@link WorkerCrashedError};
 * the ProcessCaller is then `stopped`. `stop()` stops the child's caller (its calls end cancelled), then
 * ends the child, killing it if it does not stop within `Caller.CANCEL_GRACE` ms.
 *
 * @example
 * import { Caller, threadModule } from 'rxjs-caller';
 * const tasks = threadModule<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * const child = Caller.current().get({ name: 'native', process: true });
 * const thumbnail = await child.callSoon(tasks.resize, imageBytes, 128);
 * child.stop();
 */
export class ProcessCaller extends LinkedCaller {
  /** @internal `instanceof` across the ESM and CJS builds (lib/internal/brand.ts). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(this, value);
  }
  /** @internal */
  get __rxjsCaller(): string {
    return 'ProcessCaller';
  }
  /**
   * @param options `name`, `parent` and `process` (how the child is started).
   * @throws TypeError when an option has the wrong type; Error where child processes are unavailable.
   */
  constructor(options: ProcessCallerOptions) {
    checkLinkedCallerOptions(options);
    const { name, parent, process: processOptions, spawn = spawnProcess } = options;
    const { workerEntry, execArgv, env, cwd } = checkProcessOptions(processOptions);
    // slotCount 0: a child process cannot share the memory that cancel flags live in.
    super({ name, parent, start: () => spawn({ workerEntry, execArgv, env, cwd }), slotCount: 0, cancelGrace, back: backTargetsFor(parent) });
  }

  /** The child's process id (undefined if it could not be started); a new one after a restart. */
  get pid(): number | undefined {
    return (this._link.host as ProcessHost).pid;
  }

  protected get _kind(): string {
    return 'ProcessCaller';
  }

  protected get _where(): string {
    return 'child process';
  }

  protected _describeFarEnd(): string {
    const pid = this.pid;
    return pid === undefined ? '' : ` pid=${pid}`;
  }
}

function checkProcessOptions(given: ProcessOptions | undefined): ProcessOptions {
  // `true` stands for the defaults, as in `get({ process: true })`.
  if (given === undefined || (given as unknown) === true) return {};
  expectOptionsObject('options.process', given);
  const options = given;
  const { workerEntry, execArgv, env, cwd } = options;
  checkWorkerEntry('options.process.workerEntry', workerEntry);
  checkExecArgv('options.process.execArgv', execArgv);
  if (env !== undefined && (env === null || typeof env !== 'object')) throw new TypeError(`Expected \`options.process.env\` to be an object, got ${got(env)}`);
  if (cwd !== undefined && typeof cwd !== 'string' && !(cwd instanceof URL)) throw new TypeError(`Expected \`options.process.cwd\` to be a path or a URL, got ${got(cwd)}`);
  return options;
}

/** @internal How `caller.get({ process })` makes a ProcessCaller; registered below, so Caller does not import this file. */
export const processCallerKind: LinkedChildKind = {
  create: (parent, name, options) => new ProcessCaller({ name: name ?? `process-${threadState.nextCallerId}`, parent, process: options as ProcessCallerOptions['process'] }),
  is: (child) => child instanceof ProcessCaller,
};

registerLinkedChildKind('process', processCallerKind);

/**
 * How the child process of a `ProcessCaller` is started: `caller.get({ name, process: options })`.
 * Node only.
 *
 * @example
 * import { Caller } from 'rxjs-caller';
 * const isolated = Caller.current().get({ name: 'sandbox', process: { execArgv: ['--max-old-space-size=256'], env: { ...process.env, MODE: 'batch' } } });
 */
export interface ProcessOptions {
  /**
   * The worker entry the child process runs: a path or `file:` URL of the package's built
   * `schedulers/worker.js` (the same entry as worker threads).
   * @default `config.workerEntry`, else resolved next to this package
   */
  workerEntry?: string | URL;
  /** Node options of the child process. @default the parent's `process.execArgv` */
  execArgv?: string[];
  /** The child process's environment. @default the parent's `process.env` */
  env?: Record<string, string | undefined>;
  /** The child process's working directory (task modules are still found by absolute path or URL). @default the parent's */
  cwd?: string | URL;
}

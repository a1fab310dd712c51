import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The package root: child scripts `require('rxjs-caller')` there, which resolves to the built `dist/`. */
export const PACKAGE_ROOT = join(__dirname, '..', '..', '..');

export interface NodeRun {
  /** The exit code (null when killed by a signal or the timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `script` (CommonJS) in a child Node process whose working directory is the package root, so the
 * package is loaded as a user loads it: through its `exports` map, from `dist/`. A crash of the child
 * (an uncaught exception, an unhandled rejection) shows as a non-zero exit code, never in this process.
 */
export function runNode(script: string, flags: string[] = [], timeoutMs = 30_000): Promise<NodeRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...flags, '-e', script], { cwd: PACKAGE_ROOT, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/** The last line of `stdout` parsed as JSON: what a child script reports with `console.log(JSON.stringify(…))`. */
export function lastJson(run: NodeRun): unknown {
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? 'null');
}

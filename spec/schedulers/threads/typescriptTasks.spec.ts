/**
 * TypeScript task modules in Node workers, through the built package (ESM) as an app uses it: the app
 * run under tsx (its workers inherit tsx and load `.ts` tasks), a ThreadCaller given tsx's CommonJS hook
 * in `execArgv`, and without a loader an error that says what to do. (Node 20 runs no ESM loader hooks
 * in worker threads, so the worker loads `.ts` task modules through `require` and tsx's CommonJS hook.)
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const app = require.resolve('../../helpers/typescriptTaskApp.mjs');

async function run(execArgv: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, [...execArgv, app], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

describe('TypeScript task modules in Node workers', () => {
  it('should run .ts tasks on the pool and on a ThreadCaller when the app runs under tsx (node --import tsx)', async () => {
    expect(await run(['--import', 'tsx'])).toEqual({ pool: { value: { n: 10, value: 55 } }, thread: { value: { n: 11, value: 89 } } });
  });

  it("should run .ts tasks on a ThreadCaller given execArgv ['--require', 'tsx/cjs'] from a plain node app, and say what to do without a loader", async () => {
    // Node 22.18+ strips types by itself (process.features.typescript): the pool needs no loader there.
    const native = Boolean((process.features as { typescript?: unknown }).typescript);
    expect(await run([])).toEqual({
      pool: native ? { value: { n: 10, value: 55 } } : { error: expect.stringMatching(/^Could not load thread task module file:.*typescriptTask\.ts \(for task 'fib'\): .*A TypeScript task module needs a TypeScript loader in the worker/) },
      thread: { value: { n: 11, value: 89 } },
    });
  });
});

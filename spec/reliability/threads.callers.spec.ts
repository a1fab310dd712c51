/**
 * Regression tests of issue 8 for ThreadCaller, ProcessCaller and runSync: a thenable whose `then`
 * throws, a cancelled task that ignores its signal (the thread is replaced), idle children that do not
 * keep a script alive, runSync when its thread runs out of memory, children of a `--input-type=module`
 * parent. The scripts run the built package (`npm test` builds first) in child Node processes.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Caller } from '../../schedulers/Caller';
import { ThreadCaller } from '../../schedulers/ThreadCaller';
// `get({ thread | process })` needs the kinds these modules register when they load.
import '../../schedulers/ThreadCaller';
import '../../schedulers/ProcessCaller';
import { childExecArgv } from '../../schedulers/threads/internal/spawnProcess';
import { threadTask } from '../../schedulers/threads/threadTask';
import { whenSet } from '../helpers/shared';

const run = promisify(execFile);
const FAULTS = require.resolve('../helpers/faultTasks.mjs');
const CJS = resolve(__dirname, '../../dist/cjs/index.js');
const ESM = pathToFileURL(resolve(__dirname, '../../dist/esm/index.js')).href;
const inc = threadTask<(i: number) => number>(FAULTS, 'inc');
const spin = threadTask<(started: SharedArrayBuffer) => never>(FAULTS, 'spin');
const throwingThenable = threadTask<(message: string) => PromiseLike<never>>(FAULTS, 'throwingThenable');

/** Runs `source` in a new Node process (CommonJS unless `execArgv` says otherwise); resolves with its output. */
async function node(source: string, execArgv: string[] = []): Promise<string> {
  const { stdout } = await run(process.execPath, [...execArgv, '-e', source], { timeout: 60_000 });
  return stdout.trim();
}

describe('ThreadCaller reliability (worker threads)', () => {
  let parent: Caller;
  let worker: ThreadCaller | undefined;
  const grace = Caller.CANCEL_GRACE;

  beforeEach(() => {
    parent = new Caller({ name: 'parent' });
  });

  afterEach(async () => {
    Caller.CANCEL_GRACE = grace;
    worker?.stop({ force: true });
    await worker?.stopped;
    worker = undefined;
    parent.stop({ force: true });
    await parent.stopped;
  });

  it('should reject a call whose task returns a thenable whose `then` throws, and go on', async () => {
    worker = parent.get({ name: 'thenable', thread: true });
    await worker.started;
    const threadId = worker.threadId;
    await expect(worker.callSoon(throwingThenable, 'then failed')).rejects.toMatchObject({ name: 'Error', message: 'then failed' });
    await expect(worker.callSoon(inc, 1)).resolves.toBe(2);
    expect(worker.threadId).toBe(threadId);
  });

  it('should terminate and restart its thread when a cancelled task ignores its signal past the grace period; calls queued behind it run on the new thread', async () => {
    Caller.CANCEL_GRACE = 30;
    worker = parent.get({ name: 'restarts', thread: true });
    await worker.started;
    const first = worker.threadId;
    const started = new SharedArrayBuffer(4);
    const hog = worker.callSoon(spin, started);
    const queued = [worker.callSoon(inc, 1), worker.callSoon(inc, 2)];
    await whenSet(started);
    hog.cancel('stop spinning');
    await expect(hog).rejects.toMatchObject({ name: 'PendingCancelled' });
    await expect(Promise.all(queued)).resolves.toEqual([2, 3]);
    await expect(worker.callSoon(inc, 41)).resolves.toBe(42);
    expect(worker.state).toBe('running');
    expect(worker.threadId).not.toBe(first);
  });

  it('should not keep a script alive once its ThreadCaller is idle (no stop() needed)', async () => {
    const out = await node(`
      const { Caller, threadTask } = require(${JSON.stringify(CJS)});
      const worker = Caller.current().get({ name: 'forgotten', thread: true });
      worker.callSoon(threadTask(${JSON.stringify(FAULTS)}, 'inc'), 41).then((v) => console.log('answer', v));
    `);
    expect(out).toBe('answer 42');
  });

  it('should not keep a script alive once its ProcessCaller is idle (no stop() needed)', async () => {
    const out = await node(`
      const { Caller, threadTask } = require(${JSON.stringify(CJS)});
      const child = Caller.current().get({ name: 'forgotten', process: true });
      child.callSoon(threadTask(${JSON.stringify(FAULTS)}, 'inc'), 41).then((v) => console.log('answer', v));
    `);
    expect(out).toBe('answer 42');
  });

  it('should start a ProcessCaller from a parent run with --input-type=module', async () => {
    const out = await node(
      `
      import { Caller, threadTask } from ${JSON.stringify(ESM)};
      const child = Caller.current().get({ name: 'esm-parent', process: true });
      console.log('answer', await child.callSoon(threadTask(${JSON.stringify(FAULTS)}, 'inc'), 1));
      child.stop();
    `,
      ['--input-type=module'],
    );
    expect(out).toBe('answer 2');
  });

  it('should leave out of a child process the parent options that would break it', () => {
    expect(childExecArgv(['--input-type=module', '--max-old-space-size=64', '--eval', 'x()', '-e', 'y()', '--inspect=9229', '--test', '--enable-source-maps', '--input-type', 'commonjs'])).toEqual(['--max-old-space-size=64', '--enable-source-maps']);
  });

  it('should make runSync throw WorkerCrashedError when its thread runs out of memory, instead of hanging', async () => {
    const out = await node(
      `
      const { runSync, threadTask } = require(${JSON.stringify(CJS)});
      try {
        runSync(threadTask(${JSON.stringify(FAULTS)}, 'exhaustMemory'));
        console.log('returned');
      } catch (error) {
        console.log(error.name);
      }
      console.log(runSync(threadTask(${JSON.stringify(FAULTS)}, 'inc'), 1));
    `,
      ['--max-old-space-size=64'],
    );
    expect(out).toBe('WorkerCrashedError\n2');
  });

  it('should refuse bad thread options with errors naming them', () => {
    expect(() => parent.get({ thread: { resourceLimits: 'x' as never } })).toThrow(new TypeError('Expected `options.thread.resourceLimits` to be an object of limits in MB, got `"x"` (string)'));
    expect(() => parent.get({ thread: { resourceLimits: { maxOldGenerationSizeMb: NaN } } })).toThrow(new RangeError('Expected `options.thread.resourceLimits.maxOldGenerationSizeMb` to be a finite number > 0, got `NaN` (number)'));
    expect(() => parent.get({ thread: { resourceLimits: { maxOldGenerationSizeMb: Infinity } } })).toThrow(RangeError);
    expect(() => parent.get({ thread: { resourceLimits: { heapMb: 1 } as never } })).toThrow(/Expected `options.thread.resourceLimits` to have only the keys maxOldGenerationSizeMb/);
    expect(() => parent.get({ thread: { execArgv: '--x' as never } })).toThrow(new TypeError('Expected `options.thread.execArgv` to be an array of strings, got `"--x"` (string)'));
    expect(() => parent.get({ thread: { workerEntry: 3 as never } })).toThrow(new TypeError('Expected `options.thread.workerEntry` to be a URL, an absolute path or a path starting with ./, got `3` (number)'));
    expect(() => parent.get({ process: { workerEntry: '' } })).toThrow(new TypeError('Expected `options.process.workerEntry` to be a URL, an absolute path or a path starting with ./, got `""` (string)'));
    expect(parent.children.size).toBe(0);
  });
});

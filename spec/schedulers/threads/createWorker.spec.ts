/**
 * `config.createWorker` / the `createWorker` thread option: threads run a worker the app made (its own
 * bundle of rxjs-caller/worker and its task modules, registered by name) instead of the worker entry.
 * The browser suite checks the same with a Web Worker bundled by esbuild.
 */
import { Worker } from 'node:worker_threads';
import { config } from '../../../lib/config';
import { Caller } from '../../../schedulers/Caller';
import '../../../schedulers/ThreadCaller'; // registers get({ thread })
import { threadModule } from '../../../schedulers/threads/threadModule';
import { registerTaskModule } from '../../../schedulers/threads/internal/loadTask';
import type * as Tasks from '../../helpers/tasks';

const appTasks = threadModule<typeof Tasks>('app-tasks');
const made: (string | undefined)[] = [];
const createWorker = ({ name }: { name?: string }) => {
  made.push(name);
  return new Worker(require.resolve('../../helpers/appWorker'), { execArgv: ['--require', require.resolve('tsx/cjs')] });
};

describe('createWorker', () => {
  let caller: Caller;

  beforeEach(() => {
    made.length = 0;
    caller = new Caller({ name: 'factory-owner' });
  });

  afterEach(async () => {
    config.createWorker = undefined;
    caller.stop({ force: true });
    await caller.stopped;
  });

  it("should run pool calls on the app's worker, its task modules addressed by their registered name", async () => {
    config.createWorker = createWorker;
    await expect(caller.toThread(appTasks.add, 40, 2)).resolves.toBe(42);
    expect(made).toEqual([undefined]);
  });

  it("should start a ThreadCaller's thread with the thread option, given its name", async () => {
    const thread = caller.get({ name: 'made', thread: { createWorker } });
    await expect(thread.callSoon(appTasks.add, 1, 2)).resolves.toBe(3);
    expect(made).toEqual(['made']);
  });

  it('should fail the call, naming the setting, when the factory gives no worker', async () => {
    config.createWorker = (() => ({})) as never;
    await expect(caller.toThread(appTasks.add, 1, 2)).rejects.toThrow(/^Expected `createWorker` to return a Worker \(a Web Worker or a worker_threads Worker\), got /);
  });

  it('should refuse a registration without a usable name or module', () => {
    expect(() => registerTaskModule('', {})).toThrow(/^Expected `id` to be a non-empty name not starting with '\.', got/);
    expect(() => registerTaskModule('./relative', {})).toThrow(TypeError);
    expect(() => registerTaskModule('ok', null as never)).toThrow(/^Expected `exports` to be a module namespace object, got/);
  });
});

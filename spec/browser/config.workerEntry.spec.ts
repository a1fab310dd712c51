/**
 * `config.workerEntry`: the one setting a browser bundle needs for threads. Its resolution order is
 * checked here in Node (the browser suite checks it in Chromium): thread option, then config, then the
 * entry found next to the package.
 */
import { config } from '../../lib/config';
import { resolveWorkerEntry } from '../../schedulers/threads/internal/workerEntry';
import { Caller } from '../../schedulers/Caller';
import { threadTask } from '../../schedulers/threads/threadTask';

describe('config.workerEntry', () => {
  afterEach(() => {
    config.workerEntry = undefined;
  });

  it('should be used when no workerEntry option is given', () => {
    config.workerEntry = 'https://example.test/app/worker.js';
    expect(resolveWorkerEntry().url).toBe('https://example.test/app/worker.js');
  });

  it('should give way to the workerEntry thread option', () => {
    config.workerEntry = 'https://example.test/app/worker.js';
    const option = new URL('https://example.test/other/worker.js');
    expect(resolveWorkerEntry(option).url).toBe(option);
  });

  it('should accept a URL, and start a .ts entry with the TypeScript hook', () => {
    config.workerEntry = new URL('file:///app/schedulers/worker.ts');
    expect(resolveWorkerEntry()).toEqual({ url: config.workerEntry, execArgv: ['--require', expect.stringContaining('tsx')] });
  });

  it('should fall back to the entry next to the package when unset', () => {
    expect(String(resolveWorkerEntry().url)).toMatch(/[\\/]schedulers[\\/]worker\.ts$/);
  });

  it('should reject anything but a URL or a non-empty path, naming the setting', () => {
    for (const bad of [42, '', {}, null]) {
      config.workerEntry = bad as never;
      expect(() => resolveWorkerEntry()).toThrow(TypeError);
      expect(() => resolveWorkerEntry()).toThrow(/^Expected `config\.workerEntry` to be a URL or a non-empty path string, got /);
    }
  });

  it('should name the entry and the setting, not the task, when the entry cannot be loaded (Node)', async () => {
    config.workerEntry = '/nonexistent/rxjs-caller-worker.js';
    const caller = new Caller({ name: 'lost-entry' });
    try {
      const call = caller.toThread(threadTask('/some/tasks.js', 'fib'));
      await expect(call).rejects.toThrow(/^The worker thread for this call failed to start: Error: The worker failed to load: the worker entry \/nonexistent\/rxjs-caller-worker\.js could not be loaded: .+\. Check `config\.workerEntry`/);
      await expect(call).rejects.not.toThrow(/tasks\.js|fib/);
    } finally {
      caller.stop({ force: true });
      await caller.stopped;
    }
  });
});

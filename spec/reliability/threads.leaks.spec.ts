/**
 * Thread leak checks under --expose-gc (spec/reliability/fixtures/threadLeaks.mjs, run from the built package in a
 * child process): 10 000 distinct inline functions leave the main thread's and the worker's heaps within
 * 10 % of their baselines (the task tables are bounded), and so do 5 000 cancelled toThread calls. The
 * figures are printed; nothing here is timed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('thread memory', () => {
  let report: {
    inline: { mainBefore: number; mainAfter: number; workerBefore: number; workerAfter: number; mainRatio: number; workerRatio: number };
    cancelled: { mainBefore: number; mainAfter: number; mainRatio: number };
  };

  beforeAll(async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--no-compilation-cache', require.resolve('./fixtures/threadLeaks.mjs')], { timeout: 180_000 });
    report = JSON.parse(stdout.trim().split('\n').pop()!);
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MB`;
    console.log(
      [
        `10 000 inline functions: main ${mb(report.inline.mainBefore)} -> ${mb(report.inline.mainAfter)} (x${report.inline.mainRatio}), worker ${mb(report.inline.workerBefore)} -> ${mb(report.inline.workerAfter)} (x${report.inline.workerRatio})`,
        `5 000 cancelled toThread calls: main ${mb(report.cancelled.mainBefore)} -> ${mb(report.cancelled.mainAfter)} (x${report.cancelled.mainRatio})`,
      ].join('\n'),
    );
  }, 200_000);

  it('should keep the main thread within 10 % of its heap after 10 000 distinct inline functions', () => {
    expect(report.inline.mainRatio).toBeLessThanOrEqual(1.1);
  });

  it('should keep a worker within 10 % of its heap after 10 000 distinct inline functions', () => {
    expect(report.inline.workerRatio).toBeLessThanOrEqual(1.1);
  });

  it('should keep the main thread within 10 % of its heap after 5 000 cancelled toThread calls', () => {
    expect(report.cancelled.mainRatio).toBeLessThanOrEqual(1.1);
  });
});

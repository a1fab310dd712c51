/**
 * The fault-injection soak on real worker threads (spec/reliability/fixtures/threadSoak.mjs, run from the built package
 * in a child process, so a fault can never take jest down): 2 000 toThread calls in bursts of 400 in
 * flight, ~2 % of them faulty. Nothing hangs, no value is wrong, no normal call is lost to a neighbour's
 * crash, every fault gets its own error class, and no thread is left once the caller has stopped.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('toThread under injected faults', () => {
  it('should settle 2 000 calls with ~2 % faults: none hung, none wrong, no normal call lost, each fault its own error, no thread left', async () => {
    const { stdout } = await run(process.execPath, [require.resolve('./fixtures/threadSoak.mjs'), '2000', '1'], { timeout: 180_000 });
    const report = JSON.parse(stdout.trim().split('\n').pop()!);
    console.log(`soak: ${stdout.trim()}`);
    expect(report.calls).toBe(2000);
    expect(report.faults).toBeGreaterThanOrEqual(30);
    expect(Object.keys(report.byFault).sort()).toEqual(['badArgument', 'badResult', 'exit', 'oom', 'spin', 'thenable', 'timer']);
    expect(report.hung).toBe(0);
    expect(report.wrongValues).toBe(0);
    expect(report.lostSamples).toEqual([]);
    expect(report.normalLost).toBe(0);
    expect(report.normalOk).toBe(report.normal);
    expect(report.wrongFaultSamples).toEqual([]);
    expect(report.faultsRight).toBe(report.faults);
    expect(report.threadsLeft).toBe(0);
  }, 200_000);
});

import { join } from 'node:path';
import { lastJson, runNode } from './helpers/runNode.js';

interface StressFigures {
  seed: number;
  calls: number;
  ran: number;
  fulfilled: number;
  rejected: number;
  cancelled: number;
  unsettled: number;
  directs: number;
  directsRan: number;
  reports: number;
  crashes: { uncaughtException: number; unhandledRejection: number };
  violations: string[];
  violationCount: number;
}

/**
 * The same-thread stress of issue 8, in a child process against dist/ (so listeners for
 * `uncaughtException` and `unhandledRejection` see the real process): 100 000 callSoon with random
 * throws, throwing thenables, async work, callDirect throws, random cancels and next-only subscribers,
 * stop() mid-burst. Every pending settles, the counts add up, each unobserved failure is reported exactly
 * once, nothing crashes. The figures are printed; the fixture lists every broken invariant.
 */
describe('same-thread stress', () => {
  it('should settle all 100 000 calls, report each unobserved failure once, and never crash', async () => {
    const run = await runNode(`require(${JSON.stringify(join(__dirname, 'fixtures', 'sameThreadStress.cjs'))})`, [], 120_000);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const figures = lastJson(run) as StressFigures;
    console.log(`same-thread stress: ${JSON.stringify(figures)}`);
    expect(figures.violations).toEqual([]);
    expect(figures.violationCount).toBe(0);
    expect(figures.calls).toBe(100_000);
    expect(figures.unsettled).toBe(0);
    expect(figures.fulfilled + figures.rejected + figures.cancelled).toBe(figures.calls);
    expect(figures.crashes).toEqual({ uncaughtException: 0, unhandledRejection: 0 });
    // stop() came mid-burst: some calls ran, some were cancelled unrun, and failures were reported.
    expect(figures.ran).toBeGreaterThan(0);
    expect(figures.ran).toBeLessThan(figures.calls);
    expect(figures.reports).toBeGreaterThan(0);
  });
});

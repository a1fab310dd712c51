import { join } from 'node:path';
import { lastJson, runNode } from './helpers/runNode.js';

interface LeakFigures {
  scenario: string;
  rounds: number;
  baseline: number;
  after: number;
  growth: number;
}

/**
 * Leak checks of issue 8, each in a child process run with --expose-gc against dist/: after a warm-up
 * round, the heap is measured (after full GCs), the workload runs many times, and the heap measured again
 * must be within 10 % of that baseline. Figures are printed (bytes), never compared with time.
 */
const SCENARIOS = [
  ['callers', 'callers made, used (calls, a child, queueCall, a delayed call) and stopped'],
  ['burst', 'a 200 000-call burst drained, the stopped caller still referenced (its ring buffer shrank)'],
  ['pendingFrom', 'Pending.from subscribed and unsubscribed, or cancelled'],
  ['combinators', 'gather and asCompleted (operators, Caller methods) cancelled or stopped early'],
] as const;

describe('leaks (child processes with --expose-gc)', () => {
  it.each(SCENARIOS)('%s: %s — heap back within 10 %% of the baseline', async (scenario) => {
    const fixture = join(__dirname, 'fixtures', 'leaks.cjs');
    const run = await runNode(`process.env.SCENARIO = ${JSON.stringify(scenario)}; process.env.ROUNDS = '1000'; require(${JSON.stringify(fixture)})`, ['--expose-gc'], 120_000);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const figures = lastJson(run) as LeakFigures;
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
    console.log(`leak ${scenario}: ${figures.rounds} rounds, heap ${kb(figures.baseline)} -> ${kb(figures.after)} (${(figures.growth * 100).toFixed(1)} %)`);
    expect(figures.scenario).toBe(scenario);
    expect(Math.abs(figures.growth)).toBeLessThanOrEqual(0.1);
  });
});

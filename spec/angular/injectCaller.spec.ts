/**
 * rxjs-caller/angular in Node: provideCallers / injectCaller with Angular's real injectors and NgZone
 * (zone.js's Node build), and zoneless. The scenarios run in child processes
 * (spec/helpers/angularScenarios.ts) so zone.js and Angular's ESM stay out of jest's other suites; the
 * browser half is the example app (spec/browser/angularApp.spec.ts).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

type Results = Record<string, Record<string, unknown> | string | number>;

async function scenarios(...args: string[]): Promise<Results> {
  const script = require.resolve('../helpers/angularScenarios');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Results;
}

describe.each([
  ['with zone.js', [] as string[]],
  ['zoneless', ['--zoneless']],
])('rxjs-caller/angular (%s)', (mode, args) => {
  const zoned = mode === 'with zone.js';
  let results: Results;

  beforeAll(async () => {
    results = await scenarios(...args);
  }, 60_000);

  it('should make a child of the app caller, stopped when its injection context is destroyed, and stop the app caller with the app', () => {
    expect(results.lifecycle).toEqual({ name: 'search', isChild: true, afterChildDestroyed: 'stopped', other: 'stopped', app: 'stopped' });
  });

  it("should refuse to run outside an injection context with Angular's error naming injectCaller", () => {
    expect(results.outsideInjectionContext).toBe('names injectCaller');
  });

  it('should refuse a zone option other than inside or outside, naming it', () => {
    expect(results.badZone).toBe(`TypeError: Expected \`options.zone\` to be 'inside' or 'outside', got \`"elsewhere"\` (string)`);
  });

  it("should run an 'inside' caller's calls in Angular and let each of its timers trigger change detection", () => {
    const inside = results.inside as { quietChecks: number };
    expect(inside).toEqual({ ranInside: zoned, deliveredInside: zoned, valueInside: zoned, quietChecks: expect.any(Number) });
    if (zoned) expect(inside.quietChecks).toBeGreaterThanOrEqual(10);
  });

  it("should run an 'outside' caller's work outside Angular, deliver settlements and values inside, and not check for changes per timed call", () => {
    const outside = results.outside as { quietChecks: number };
    expect(outside).toEqual({ ranInside: false, deliveredInside: zoned, valueInside: zoned, quietChecks: expect.any(Number) });
    // Ten timed calls: the only checks left are the one for entering Angular to make them and the one for the awaited last.
    expect(outside.quietChecks).toBeLessThanOrEqual(2);
  });

  it('should leave callers made without the entry as they are', () => {
    expect(results.plainCaller).toBe(2);
  });
});

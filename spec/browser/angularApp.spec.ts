/**
 * The Angular example (examples/angular: Angular 21 with zone.js, JIT, built by esbuild against the built
 * package) driven in headless Chromium like a user: it types, reads what renders, switches searches away,
 * makes a PendingGroup fail, waits for `whenStable()`, destroys the app and checks no worker is left — on
 * a plain page and on a cross-origin isolated one.
 */
import type { Server } from 'node:http';
import type { Browser, Page, Worker } from 'playwright-core';
import { buildExample } from '../../examples/angular/build';
import { browserPath, describeInBrowser, reportBrowserAvailability } from './browserAvailability';
import { launch, serve } from './harness';

let files: Map<string, string>;
let server: Server | undefined;
let origin: string;
let browser: Browser | undefined;

beforeAll(async () => {
  files = await buildExample();
  if (browserPath === undefined) return;
  ({ server, origin } = await serve(files));
  browser = await launch(browserPath);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (server !== undefined) await new Promise((resolve) => server!.close(resolve));
});

describe('the Angular example bundle', () => {
  it("should keep the task module in the worker's bundle only: the page addresses its tasks by name", () => {
    expect(files.get('search.worker.js')).toContain('watermelon');
    expect([...files].filter(([name, text]) => name !== 'search.worker.js' && text.includes('watermelon')).map(([name]) => name)).toEqual([]);
  });
});

type ExampleWindow = typeof globalThis & { exampleApp: { whenStable(): Promise<void>; destroy(): void }; crossOriginIsolated: boolean };

describe('a browser for the Angular example', () => {
  reportBrowserAvailability();
});

describeInBrowser.each(['plain', 'isolated'] as const)('the Angular example in Chromium (%s page)', (kind) => {
  let page: Page;
  const problems: string[] = [];
  /** The page's Web Workers still running, and every one it started. */
  const live = new Set<Worker>();
  let started = 0;
  let allClosed: (() => void) | undefined;

  beforeAll(async () => {
    page = await browser!.newPage();
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
    });
    page.on('worker', (worker) => {
      started++;
      live.add(worker);
      worker.on('close', () => {
        live.delete(worker);
        if (live.size === 0) allClosed?.();
      });
    });
    await page.goto(`${origin}/${kind}/`);
    await page.waitForFunction(() => 'exampleApp' in globalThis);
  }, 60_000);

  afterAll(async () => {
    await page?.close();
  });

  afterEach(() => {
    expect(problems.splice(0)).toEqual([]);
  });

  const logLines = () => page.locator('.worker-log li').allTextContents();

  it('should run on the page it is meant to', async () => {
    expect(await page.evaluate(() => (globalThis as ExampleWindow).crossOriginIsolated)).toBe(kind === 'isolated');
  });

  it('should search as the user types, cancel the search switched away from inside the worker, and render the results with progress', async () => {
    const box = page.locator('input.term');
    // A search that never ends by itself, seen running in a worker...
    await box.pressSequentially('wait');
    await page.locator('.worker-log li', { hasText: "started 'wait' (shard 1)" }).waitFor();
    // ...then the user types something else: switchMap drops the old search, and its calls stop in the worker.
    await box.fill('an');
    await page.locator('.status', { hasText: "11 found for 'an'" }).waitFor();
    expect(await page.locator('.results li').allTextContents()).toEqual([
      'banana', 'cantaloupe', 'cranberry', 'durian', 'mandarin', 'mango', 'mangosteen', 'orange', 'pomegranate', 'redcurrant', 'tangerine',
    ]);
    const progress = await page.locator('.progress li').allTextContents();
    expect(progress).toHaveLength(4);
    for (const step of progress) expect(step).toMatch(/^shard [1-4]\/4: \d+ found$/);
    // Every shard of 'wait' that began in a worker stopped there (shards still queued never begin at all).
    const began = (await logLines()).filter((line) => line.startsWith("started 'wait'"));
    expect(began.length).toBeGreaterThan(0);
    for (const line of began) await page.locator('.worker-log li', { hasText: line.replace('started', 'cancelled') }).waitFor();
    expect((await logLines()).filter((line) => line.startsWith("cancelled 'an'"))).toEqual([]);
  });

  it("should show a PendingGroup's failure to the user", async () => {
    await page.locator('input.term').fill('boom');
    await page.locator('.status', { hasText: "Search for 'boom' failed" }).waitFor();
    expect(await page.locator('.error').textContent()).toMatch(/^PendingGroupError: .*shard 3 cannot search for 'boom'/);
    expect(await page.locator('.progress li').allTextContents()).toContain("shard 3/4: failed (shard 3 cannot search for 'boom')");
  });

  it('should let whenStable() settle while the callers are idle', async () => {
    await page.locator('input.term').fill('berry');
    await page.locator('.status', { hasText: "found for 'berry'" }).waitFor();
    expect(await page.evaluate(() => (globalThis as ExampleWindow).exampleApp.whenStable().then(() => 'stable'))).toBe('stable');
  });

  it('should stop its callers and end every worker when the app is destroyed', async () => {
    expect(started).toBeGreaterThan(0);
    const closed = new Promise<void>((resolve) => {
      allClosed = resolve;
      if (live.size === 0) resolve();
    });
    await page.evaluate(() => (globalThis as ExampleWindow).exampleApp.destroy());
    await closed;
    expect(live.size).toBe(0);
    // Angular removed the component (whose DestroyRef stopped its callers).
    expect(await page.locator('app-search').count()).toBe(0);
  });
});

/**
 * How the browser suites find a browser (./findBrowser.ts), over a fake machine, and what they report
 * when there is none (./browserAvailability.ts): a visible skip, or a failure under CI.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isCi } from './browserAvailability';
import { findBrowser, type BrowserSearchHost } from './findBrowser';

const repoRoot = join(__dirname, '..', '..');

function host(files: string[], overrides: Partial<BrowserSearchHost> = {}): BrowserSearchHost {
  const set = new Set(files);
  return {
    env: {},
    platform: 'linux',
    home: '/home/u',
    exists: (path) => set.has(path),
    list: (dir) => [...new Set(files.filter((f) => f.startsWith(dir + '/')).map((f) => f.slice(dir.length + 1).split('/')[0]!))],
    playwrightExecutable: () => undefined,
    ...overrides,
  };
}

describe('findBrowser', () => {
  it('should take the executable an environment variable names first', () => {
    const machine = host(['/opt/my/chrome', '/usr/bin/chromium'], { env: { CHROME_BIN: '/opt/my/chrome' } });
    expect(findBrowser(machine)).toEqual({ found: true, executablePath: '/opt/my/chrome', how: '$CHROME_BIN' });
  });

  it('should read CHROMIUM_PATH before the other variables', () => {
    const machine = host(['/a/chromium', '/b/chrome'], { env: { CHROMIUM_PATH: '/a/chromium', CHROME_PATH: '/b/chrome' } });
    expect(findBrowser(machine)).toMatchObject({ executablePath: '/a/chromium', how: '$CHROMIUM_PATH' });
  });

  it('should report a variable naming a missing file as a mistake, not look elsewhere', () => {
    const machine = host(['/usr/bin/chromium'], { env: { CHROMIUM_PATH: '/gone/chromium' } });
    expect(findBrowser(machine)).toEqual({ found: false, looked: ['/gone/chromium'], misconfigured: '$CHROMIUM_PATH names /gone/chromium, which does not exist' });
  });

  it("should take the revision playwright-core expects from Playwright's cache", () => {
    const expected = '/home/u/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';
    const machine = host([expected, '/usr/bin/chromium'], { playwrightExecutable: () => expected });
    expect(findBrowser(machine)).toEqual({ found: true, executablePath: expected, how: "Playwright's browser cache" });
  });

  it("should take the newest other Chromium revision in Playwright's cache, honouring PLAYWRIGHT_BROWSERS_PATH", () => {
    const machine = host(['/pw/chromium-900/chrome-linux/chrome', '/pw/chromium-1100/chrome-linux64/chrome', '/pw/firefox-1/firefox/firefox'], {
      env: { PLAYWRIGHT_BROWSERS_PATH: '/pw' },
      playwrightExecutable: () => '/pw/chromium-1255/chrome-linux64/chrome',
    });
    expect(findBrowser(machine)).toMatchObject({ executablePath: '/pw/chromium-1100/chrome-linux64/chrome' });
  });

  it("should look in macOS's Playwright cache and applications folder", () => {
    const app = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findBrowser(host([app], { platform: 'darwin' }))).toEqual({ found: true, executablePath: app, how: 'a standard install path' });
    const cached = '/home/u/Library/Caches/ms-playwright/chromium-1200/chrome-mac-arm64/Chromium.app/Contents/MacOS/Chromium';
    expect(findBrowser(host([cached, app], { platform: 'darwin' }))).toMatchObject({ executablePath: cached });
  });

  it('should find the standard Linux packages, then the usual names on PATH', () => {
    expect(findBrowser(host(['/usr/bin/google-chrome-stable']))).toMatchObject({ executablePath: '/usr/bin/google-chrome-stable' });
    expect(findBrowser(host(['/home/u/bin/chromium'], { env: { PATH: '/usr/local/bin:/home/u/bin' } }))).toMatchObject({ executablePath: '/home/u/bin/chromium' });
  });

  it('should find the usual names on PATH after the standard paths, and say so', () => {
    expect(findBrowser(host(['/home/u/bin/chrome'], { env: { PATH: '/home/u/bin' } }))).toEqual({ found: true, executablePath: '/home/u/bin/chrome', how: 'PATH' });
  });

  it('should say where it looked when there is no browser, PATH as one place with its folders counted once', () => {
    const search = findBrowser(host([], { env: { PATH: '/bin:/usr/local/bin:/bin:' } }));
    expect(search).toEqual({
      found: false,
      looked: [
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/usr/bin/google-chrome-stable',
        '/usr/bin/google-chrome',
        '/snap/bin/chromium',
        '/opt/google/chrome/chrome',
        'chromium, chromium-browser, google-chrome-stable, google-chrome, chrome in the 2 folder(s) on PATH',
      ],
    });
  });
});

describe('CI', () => {
  it('should count CI as set unless it is empty, 0 or false', () => {
    expect([undefined, '', '0', 'false', 'FALSE', '1', 'true', 'yes'].map((value) => isCi({ CI: value }))).toEqual([false, false, false, false, false, true, true, true]);
  });
});

describe('a machine without a browser', () => {
  /** Runs the fixture spec (a search that found nothing) in a child jest; returns its only test's result. */
  function runWithoutBrowser(ci: string) {
    const jest = require.resolve('jest/bin/jest', { paths: [repoRoot] });
    const result = spawnSync(process.execPath, [jest, '--testMatch', '**/fixtures/skipReport.fixture.ts', '--json', '--silent', '--ci'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, CI: ci, NODE_OPTIONS: '' },
      timeout: 60_000,
    });
    const report = JSON.parse(result.stdout) as { testResults: Array<{ assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }> };
    return { status: result.status, tests: report.testResults.flatMap((file) => file.assertionResults) };
  }

  it('should report the browser suites as skipped, with why, and pass outside CI', () => {
    const { status, tests } = runWithoutBrowser('');
    expect(status).toBe(0);
    expect(tests).toEqual([expect.objectContaining({ status: 'passed', title: expect.stringMatching(/^SKIPPED the browser suites: no Chromium or Chrome found \(looked at \/nowhere\/chromium, \/nowhere\/chrome\)\. Set CHROMIUM_PATH/) })]);
  }, 90_000);

  it('should fail when CI is set: CI requires the browser suites', () => {
    const { status, tests } = runWithoutBrowser('true');
    expect(status).toBe(1);
    expect(tests).toEqual([expect.objectContaining({ status: 'failed', title: 'should find a browser: the browser suites are required here' })]);
    expect(tests[0]!.failureMessages.join('\n')).toMatch(/CI is set, so a skipped browser suite is a failure/);
  }, 90_000);
});

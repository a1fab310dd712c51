/**
 * Finds a Chromium or Chrome for the browser suites, the usual ways, in this order:
 * 1. an environment variable naming the executable: `CHROMIUM_PATH`, `CHROME_PATH`, `CHROME_BIN` (Karma's),
 *    `PUPPETEER_EXECUTABLE_PATH`;
 * 2. Playwright's own browser cache (`npx playwright install chromium`): the revision playwright-core
 *    expects, then any other Chromium revision there (`PLAYWRIGHT_BROWSERS_PATH` or the platform's cache);
 * 3. the standard install paths of Chromium and Chrome on Linux and macOS;
 * 4. those names in each folder on `PATH` (told as one place when nothing is found).
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The variables that name a browser executable, in the order they are read. */
export const BROWSER_ENV_VARS = ['CHROMIUM_PATH', 'CHROME_PATH', 'CHROME_BIN', 'PUPPETEER_EXECUTABLE_PATH'] as const;

export type BrowserSearch =
  | { readonly found: true; readonly executablePath: string; readonly how: string }
  /** `misconfigured`: a variable names a file that does not exist — a mistake to report, never a skip. */
  | { readonly found: false; readonly looked: readonly string[]; readonly misconfigured?: string };

/** What the search reads from the machine; a test passes its own. */
export interface BrowserSearchHost {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly home: string;
  exists(path: string): boolean;
  list(dir: string): string[];
  /** The executable playwright-core expects in its cache (it may not be installed). */
  playwrightExecutable(): string | undefined;
}

export function findBrowser(host: BrowserSearchHost = nodeHost()): BrowserSearch {
  for (const name of BROWSER_ENV_VARS) {
    const value = host.env[name];
    if (value === undefined || value === '') continue;
    if (host.exists(value)) return { found: true, executablePath: value, how: `$${name}` };
    return { found: false, looked: [value], misconfigured: `$${name} names ${value}, which does not exist` };
  }
  const looked: string[] = [];
  const first = (paths: Iterable<string>, how: string): BrowserSearch | undefined => {
    for (const path of paths) {
      looked.push(path);
      if (host.exists(path)) return { found: true, executablePath: path, how };
    }
    return undefined;
  };
  const expected = host.playwrightExecutable();
  const found =
    first(expected === undefined ? [] : [expected], "Playwright's browser cache") ??
    first(playwrightCache(host), "Playwright's browser cache") ??
    first(standardPaths(host), 'a standard install path');
  if (found !== undefined) return found;
  const names = host.platform === 'win32' ? ['chrome.exe', 'chromium.exe'] : ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'];
  const folders = [...new Set((host.env['PATH'] ?? '').split(delimiter).filter((d) => d !== ''))];
  for (const dir of folders) {
    for (const name of names) {
      const path = join(dir, name);
      if (host.exists(path)) return { found: true, executablePath: path, how: 'PATH' };
    }
  }
  // PATH is told as one place: its folders times the names, listed one by one, would bury the others.
  return { found: false, looked: [...looked, `${names.join(', ')} in the ${folders.length} folder(s) on PATH`] };
}

/** Chromium executables of every revision in Playwright's cache, newest first. */
function* playwrightCache(host: BrowserSearchHost): Generator<string> {
  const configured = host.env['PLAYWRIGHT_BROWSERS_PATH'];
  const root =
    configured !== undefined && configured !== '' && configured !== '0'
      ? configured
      : host.platform === 'darwin'
        ? join(host.home, 'Library', 'Caches', 'ms-playwright')
        : host.platform === 'win32'
          ? join(host.env['LOCALAPPDATA'] ?? join(host.home, 'AppData', 'Local'), 'ms-playwright')
          : join(host.env['XDG_CACHE_HOME'] || join(host.home, '.cache'), 'ms-playwright');
  const revisions = host
    .list(root)
    .filter((name) => /^chromium(_headless_shell)?-\d+$/.test(name))
    .sort((a, b) => Number(b.replace(/\D/g, '')) - Number(a.replace(/\D/g, '')));
  const inside: Record<string, string[]> = {
    linux: ['chrome-linux64/chrome', 'chrome-linux/chrome', 'chrome-headless-shell-linux64/chrome-headless-shell', 'chrome-linux/headless_shell'],
    darwin: [
      'chrome-mac-arm64/Chromium.app/Contents/MacOS/Chromium',
      'chrome-mac-x64/Chromium.app/Contents/MacOS/Chromium',
      'chrome-mac/Chromium.app/Contents/MacOS/Chromium',
      'chrome-headless-shell-mac-arm64/chrome-headless-shell',
      'chrome-headless-shell-mac-x64/chrome-headless-shell',
      'chrome-mac/headless_shell',
    ],
    win32: ['chrome-win64/chrome.exe', 'chrome-win/chrome.exe', 'chrome-headless-shell-win64/chrome-headless-shell.exe'],
  };
  for (const revision of revisions) for (const path of inside[host.platform] ?? inside['linux']!) yield join(root, revision, path);
}

/** Where Chromium and Chrome are installed by Linux packages and macOS apps. */
function* standardPaths(host: BrowserSearchHost): Generator<string> {
  if (host.platform === 'darwin') {
    for (const apps of ['/Applications', join(host.home, 'Applications')]) {
      yield join(apps, 'Chromium.app/Contents/MacOS/Chromium');
      yield join(apps, 'Google Chrome.app/Contents/MacOS/Google Chrome');
      yield join(apps, 'Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing');
    }
  } else if (host.platform !== 'win32') {
    yield* ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome', '/snap/bin/chromium', '/opt/google/chrome/chrome'];
  }
}

function nodeHost(): BrowserSearchHost {
  return {
    env: process.env,
    platform: process.platform,
    home: homedir(),
    exists: existsSync,
    list: (dir) => {
      try {
        return readdirSync(dir);
      } catch {
        return [];
      }
    },
    playwrightExecutable: () => {
      try {
        // Required lazily: the search itself must work where playwright-core is broken or absent.
        return (require('playwright-core') as typeof import('playwright-core')).chromium.executablePath();
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Whether the browser suites can run here, decided once per test file and shown as a test of its own:
 * with a browser found, that test names it; without one, it reports that the browser suites were skipped
 * and why (what was looked at, how to provide a browser) — and fails when `CI` is set, since CI
 * (`.ci/run`) installs Chromium and requires the browser suites. A variable naming a missing file fails
 * everywhere: it is a mistake, not a machine without a browser.
 */
import { BROWSER_ENV_VARS, findBrowser, type BrowserSearch } from './findBrowser';

export const browserSearch: BrowserSearch = findBrowser();

/** The executable to launch, or undefined when the browser suites do not run here. */
export const browserPath: string | undefined = browserSearch.found ? browserSearch.executablePath : undefined;

/** Whether `CI` is set to something other than an explicit no. */
export function isCi(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const ci = env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * `describe` when a browser was found; otherwise it registers nothing, and the test added by
 * {@link reportBrowserAvailability} says why.
 */
export const describeInBrowser: jest.Describe =
  browserPath !== undefined ? describe : (Object.assign(() => undefined, { each: () => () => undefined }) as unknown as jest.Describe);

/** Registers the test that reports whether, and why not, this file's browser suites run. */
export function reportBrowserAvailability(search: BrowserSearch = browserSearch): void {
  if (search.found) {
    it(`should run in ${search.executablePath} (found through ${search.how})`, () => {
      expect(search.executablePath).not.toBe('');
    });
    return;
  }
  const why = search.misconfigured ?? `no Chromium or Chrome found (looked at ${search.looked.join(', ')})`;
  const help = `Set ${BROWSER_ENV_VARS[0]} to a Chromium or Chrome executable, run \`npx playwright install chromium\`, or install your system's chromium package.`;
  if (search.misconfigured !== undefined || isCi()) {
    it('should find a browser: the browser suites are required here', () => {
      throw new Error(`The browser suites cannot run: ${why}. ${isCi() ? 'CI is set, so a skipped browser suite is a failure. ' : ''}${help}`);
    });
    return;
  }
  it(`SKIPPED the browser suites: ${why}. ${help}`, () => {
    console.warn(`rxjs-caller: the browser suites were skipped: ${why}. ${help}`);
    expect(search.looked.length).toBeGreaterThan(0);
  });
}

/**
 * Chromium's lifecycle in a build: connect Puppeteer to a Chromium process (the one the CLI
 * prestarted, or a new one) and close it on every path out, including Ctrl-C and crashes.
 */
import { createRequire } from 'node:module';
// The browser entry has connect() alone: the Node entry's launcher pulls in the browser
// downloader and its proxy agents, 2 MB of code that every build would parse and never run.
import puppeteer from 'puppeteer-core/lib/esm/puppeteer/puppeteer-core-browser.js';
import type { Browser } from 'puppeteer-core';
import { BuildFailure, ExitCode } from '../diagnostics.js';
import { findBrowser } from './location.js';
import { recordSpan } from '../timings.js';
import { spawnChromium, takePrestartedChromium, type ChromiumProcess } from './process.js';

export { findBrowser, type BrowserLocation } from './location.js';
export { hermeticFontconfig } from './fontconfig.js';

const processes = new WeakMap<Browser, ChromiumProcess>();

/**
 * `callTimeoutMs`: how long one DevTools call may take. Printing a large document is one call
 * (Page.printToPDF) that can take minutes; the build's --timeout, not Puppeteer's default of
 * three minutes, is what should end it.
 */
export async function launchBrowser(executablePath?: string, callTimeoutMs = 180_000): Promise<Browser> {
  const location = findBrowser(executablePath);
  const chromium = takePrestartedChromium(location.path) ?? spawnChromium(location.path);
  try {
    const browser = (await Promise.race([
      puppeteer.connect({ transport: chromium.transport, defaultViewport: { width: 800, height: 600 }, protocolTimeout: callTimeoutMs }),
      startupFailure(chromium),
    ])) as unknown as Browser; // the same class, declared once per entry point
    processes.set(browser, chromium);
    recordSpan('chromium start', chromium.startedAt);
    browser.once('disconnected', () => chromium.kill());
    return browser;
  } catch (error) {
    chromium.kill();
    throw new BuildFailure(
      [
        {
          severity: 'error',
          rule: 'render/browser',
          message: `Chromium (${location.path}) did not start: ${chromium.failure() ?? (error as Error).message.split('\n')[0]}`,
        },
      ],
      ExitCode.RenderError,
    );
  }
}

/** Rejects when the process dies or fails to spawn before Puppeteer is connected. */
function startupFailure(chromium: ChromiumProcess): Promise<never> {
  return new Promise((_, reject) => {
    const check = () => {
      const failure = chromium.failure();
      if (failure) reject(new Error(failure));
    };
    chromium.child.once('exit', check);
    chromium.child.once('error', check);
    check();
  });
}

/** The executable a browser of ours runs (undefined for one we did not start). */
export function browserPath(browser: Browser): string | undefined {
  return processes.get(browser)?.executablePath;
}

/**
 * Whether `version` (Browser.version(): "HeadlessChrome/156.0…" or "Chrome/156.0…") is
 * Chromium's headless shell. The full browser, run headless, prints the same PDF but opens a
 * window and more renderers for every page: it is slower, most of all for small packs.
 */
export function isHeadlessShell(version: string): boolean {
  return version.startsWith('HeadlessChrome/');
}

/** What to do about a full browser: the headless shell of the same Chromium. */
export const HEADLESS_SHELL_HINT =
  'the headless shell prints the same PDF faster: `apt-get install chromium-headless-shell` (Debian), or `npx @puppeteer/browsers install chrome-headless-shell@stable` and PUPPETEER_EXECUTABLE_PATH set to it';

/** One line on the browser a build prints with: its version, kind and path, and the hint for a full browser. */
export function browserLine(version: string, executable: string | undefined): string {
  const where = executable ? ` at ${executable}` : '';
  return isHeadlessShell(version) ? `${version.replace('HeadlessChrome/', 'Chromium ')} (headless shell)${where}` : `${version} (full browser)${where}; ${HEADLESS_SHELL_HINT}`;
}

/** Kill the browser's processes outright, as a crash would (the crash-retry test uses this). */
export function killBrowser(browser: Browser): void {
  processes.get(browser)?.kill();
}

/**
 * End the browser. Its profile is a throwaway folder and nothing in it needs saving, so the
 * process is killed rather than asked to shut down, which takes Chromium half a second.
 */
export async function closeBrowser(browser: Browser): Promise<void> {
  processes.get(browser)?.kill();
  await browser.disconnect().catch(() => undefined);
}

export function puppeteerVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('puppeteer/package.json') as { version: string }).version;
}

/**
 * Which Chrome or Chromium a build uses: an explicit option, then PUPPETEER_EXECUTABLE_PATH,
 * then a system Chrome/Chromium, then Puppeteer's cache. Cheap to import: the CLI asks before
 * anything heavy is loaded, so the browser can start while the rest of briefpack loads.
 *
 * Chromium's headless shell comes first: the same Blink and the same PDF output, without the
 * browser around it. The full browser, run headless, still has a window with its omnibox pages
 * preloaded in renderers of their own, and starts slower (session.ts keeps it to one window).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BuildFailure, ExitCode } from '../diagnostics.js';

const SYSTEM_BROWSERS = [
  // Debian's /usr/bin/chromium-headless-shell only runs this: one process fewer.
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export interface BrowserLocation {
  path: string;
  source: 'option' | 'PUPPETEER_EXECUTABLE_PATH' | 'system' | 'puppeteer cache';
}

/** An explicit option, then PUPPETEER_EXECUTABLE_PATH, then a system headless shell or Chrome/Chromium, then Puppeteer's cache. */
export function findBrowser(explicit?: string, env: NodeJS.ProcessEnv = process.env): BrowserLocation {
  const fail = (message: string, hint: string) =>
    new BuildFailure([{ severity: 'error', rule: 'render/browser', message, hint }], ExitCode.RenderError);
  if (explicit) {
    if (!existsSync(explicit)) throw fail(`the browser given with --browser does not exist: ${explicit}`, 'Give the path of a Chrome or Chromium executable.');
    return { path: explicit, source: 'option' };
  }
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) {
      throw fail(
        `PUPPETEER_EXECUTABLE_PATH names a file that does not exist: ${fromEnv}`,
        'Unset it to use the system Chromium, or point it at a Chrome/Chromium executable.',
      );
    }
    return { path: fromEnv, source: 'PUPPETEER_EXECUTABLE_PATH' };
  }
  const system = SYSTEM_BROWSERS.find((p) => existsSync(p));
  if (system) return { path: system, source: 'system' };
  try {
    // Puppeteer is loaded only here, so that finding the usual browser costs no import.
    const require = createRequire(import.meta.url);
    const cached = (require('puppeteer') as { executablePath(): string }).executablePath();
    if (cached && existsSync(cached)) return { path: cached, source: 'puppeteer cache' };
  } catch {
    // No browser in Puppeteer's cache either; fall through to the message below.
  }
  throw fail(
    'no Chrome or Chromium found',
    'Install one (Debian: `apt-get install chromium-headless-shell`, or `chromium`; or run `npm start`, which does it), or set PUPPETEER_EXECUTABLE_PATH to its path.',
  );
}

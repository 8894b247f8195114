/**
 * Chromium's lifecycle: find an executable, launch it once per build with flags that keep it
 * off the network, and close it on every path out (including Ctrl-C).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';
import { BuildFailure, ExitCode } from '../diagnostics.js';
import { printFonts } from './fonts.js';

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
];

const SYSTEM_BROWSERS = [
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

/** An explicit option, then PUPPETEER_EXECUTABLE_PATH, then a system Chrome/Chromium, then Puppeteer's cache. */
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
    const cached = puppeteer.executablePath();
    if (cached && existsSync(cached)) return { path: cached, source: 'puppeteer cache' };
  } catch {
    // No browser in Puppeteer's cache either; fall through to the message below.
  }
  throw fail(
    'no Chrome or Chromium found',
    'Install one (Debian/Ubuntu: `apt-get install chromium`; or run `npm start`, which does it), or set PUPPETEER_EXECUTABLE_PATH to its path.',
  );
}

const open = new Set<Browser>();
let handlersInstalled = false;

/** Kill every browser we started if the process is interrupted, so none outlives the build. */
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const killAll = () => {
    for (const browser of open) browser.process()?.kill('SIGKILL');
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/**
 * A fontconfig configuration that lists only the shipped fonts. Chromium then sees no system
 * font at all: what it prints (including any fallback) is the same on every machine. Chromium
 * needs at least one TrueType/OpenType font from fontconfig (with none, or only WOFF2 files, it
 * prints no text at all), which is why print uses TrueType files.
 */
export function hermeticFontconfig(): string {
  const dirs = [...new Set(printFonts().map((f) => path.dirname(f.file)))].sort();
  const key = createHash('sha256').update(dirs.join('\n')).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `briefpack-fontconfig-${key}`);
  const file = path.join(dir, 'fonts.conf');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const escape = (p: string) => p.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const xml = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
      '<fontconfig>',
      ...dirs.map((d) => `  <dir>${escape(d)}</dir>`),
      `  <cachedir>${escape(path.join(dir, 'cache'))}</cachedir>`,
      '  <alias><family>serif</family><prefer><family>Source Serif 4</family></prefer></alias>',
      '  <alias><family>sans-serif</family><prefer><family>Source Sans 3</family></prefer></alias>',
      '  <alias><family>monospace</family><prefer><family>Source Sans 3</family></prefer></alias>',
      '</fontconfig>',
      '',
    ].join('\n');
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, xml);
    // Rename so that a concurrent build never reads a half-written file.
    renameSync(temp, file);
  }
  return file;
}

export async function launchBrowser(executablePath?: string): Promise<Browser> {
  const location = findBrowser(executablePath);
  installExitHandlers();
  try {
    const browser = await puppeteer.launch({
      executablePath: location.path,
      headless: true,
      args: LAUNCH_ARGS,
      env: { ...process.env, FONTCONFIG_FILE: hermeticFontconfig() },
      // Puppeteer's defaults add --enable-automation banners etc.; keep them, they are harmless.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: 60_000,
    });
    open.add(browser);
    browser.once('disconnected', () => open.delete(browser));
    return browser;
  } catch (error) {
    throw new BuildFailure(
      [
        {
          severity: 'error',
          rule: 'render/browser',
          message: `Chromium (${location.path}) did not start: ${(error as Error).message.split('\n')[0]}`,
        },
      ],
      ExitCode.RenderError,
    );
  }
}

export async function closeBrowser(browser: Browser): Promise<void> {
  try {
    await browser.close();
  } catch {
    browser.process()?.kill('SIGKILL');
  }
  open.delete(browser);
}

export function puppeteerVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('puppeteer/package.json') as { version: string }).version;
}

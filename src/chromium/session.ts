/**
 * One browser per build, shared by every render. If Chromium dies mid-build, the artifact that
 * was rendering gets one more try on a fresh browser; a second failure ends the build cleanly.
 */
import type { Browser, Page } from 'puppeteer-core';
import { BuildFailure, ExitCode } from '../diagnostics.js';
import { browserLine, browserPath, closeBrowser, launchBrowser } from './browser.js';

/**
 * A page of its own: a tab, which Chromium renders in a process of its own (so parts print in
 * parallel), closed when done. Pages share the browser's default context rather than a context
 * each: the full browser (Chrome or Chromium, not the headless shell) opens a window for every
 * context, with two omnibox renderers preloaded in each. Nothing leaks between pages through the
 * shared context: every request is intercepted (sealed-page.ts), which turns the cache off.
 */
export interface IsolatedPage {
  page: Page;
  close(): Promise<void>;
}

async function openIsolatedPage(browser: Browser): Promise<IsolatedPage> {
  const page = await browser.newPage();
  return { page, close: () => page.close().catch(() => undefined) };
}

export class BrowserSession {
  private current: Promise<Browser> | undefined;
  private launched: Browser[] = [];
  /** A page opened as soon as the browser is up, while the pack is still loading. */
  private warm: { browser: Browser; page: Promise<IsolatedPage> } | undefined;
  version: string | undefined;
  /** Closed: nothing more is launched (a render the build gave up on, at its timeout, may still be running). */
  private closed = false;

  constructor(
    private readonly executablePath: string | undefined,
    private readonly onRelaunch: (reason: string) => void,
    private readonly warmPage = false,
    /** How long one call to Chromium may take: the build's own timeout decides, not Puppeteer's. */
    private readonly callTimeoutMs = 180_000,
    /** Told, once, which browser the session prints with (browserLine()). */
    private readonly onFirstLaunch?: (line: string) => void,
  ) {}

  /** A fresh isolated page: the warm one if it belongs to `browser`, else a new one. */
  async isolatedPage(browser: Browser): Promise<IsolatedPage> {
    const warm = this.warm;
    if (warm?.browser === browser) {
      this.warm = undefined;
      const page = await warm.page.catch(() => undefined);
      if (page) return page;
    }
    return openIsolatedPage(browser);
  }

  /** A connected browser, launching one if there is none (or the last one died). */
  async browser(): Promise<Browser> {
    if (this.closed) throw new BuildFailure([{ severity: 'error', rule: 'render/browser', message: 'the build has ended; no browser is started for it' }], ExitCode.RenderError);
    const pending = this.current;
    const existing = pending ? await pending.catch(() => undefined) : undefined;
    if (existing?.connected) return existing;
    // Another render noticed the crash first and is already relaunching: share its browser.
    if (this.current !== pending) return this.browser();
    this.current = launchBrowser(this.executablePath, this.callTimeoutMs).then(async (browser) => {
      this.launched.push(browser);
      if (this.warmPage && !this.warm) {
        this.warm = { browser, page: openIsolatedPage(browser) };
        this.warm.page.catch(() => undefined);
      }
      if (this.version === undefined) {
        this.version = await browser.version();
        this.onFirstLaunch?.(browserLine(this.version, browserPath(browser)));
      }
      return browser;
    });
    return this.current;
  }

  /** Run `work` with a browser; if the browser crashed under it, relaunch and run it once more. */
  async withRetry<T>(name: string, work: (browser: Browser) => Promise<T>): Promise<T> {
    const browser = await this.browser();
    try {
      return await work(browser);
    } catch (error) {
      if (error instanceof BuildFailure || this.closed || !isCrash(error, browser)) throw error;
      this.onRelaunch(`Chromium stopped while rendering the ${name} (${firstLine(error)}); retrying once with a new browser`);
      try {
        return await work(await this.browser());
      } catch (again) {
        if (again instanceof BuildFailure) throw again;
        throw new BuildFailure(
          [{ severity: 'error', rule: 'render/browser', message: `Chromium failed twice while rendering the ${name}: ${firstLine(again)}` }],
          ExitCode.RenderError,
        );
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    // A launch may still be under way (started early, then the pack had errors): wait for it,
    // or its browser would outlive the build.
    await this.current?.catch(() => undefined);
    this.warm = undefined;
    await Promise.all(this.launched.map((b) => closeBrowser(b)));
    this.launched = [];
    this.current = undefined;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/**
 * Whether an error is Chromium's: the DevTools protocol's own errors (a closed target or
 * session, a timeout, a failed navigation). Anything else thrown while rendering is ours.
 */
export function isChromiumFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (['ProtocolError', 'TargetCloseError', 'TimeoutError'].includes(error.name)) return true;
  return /Target closed|Target crashed|Session closed|Connection closed|Protocol error|detached|net::ERR_|Navigation failed|Page crashed|browser has disconnected/i.test(error.message);
}

function isCrash(error: unknown, browser: Browser): boolean {
  if (!browser.connected) return true;
  const message = firstLine(error);
  return /Target closed|Target crashed|Session closed|Connection closed|Protocol error|detached/i.test(message);
}

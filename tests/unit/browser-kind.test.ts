/**
 * Which browser a build prints with, as the progress line and `doctor` say it: the headless shell,
 * or a full Chrome/Chromium with the way to the faster shell.
 */
import { describe, expect, it } from 'vitest';
import { browserLine, HEADLESS_SHELL_HINT, isHeadlessShell } from '../../src/chromium/browser.js';

describe('the browser a build prints with', () => {
  it('tells the headless shell from a full browser by the product it reports', () => {
    expect(isHeadlessShell('HeadlessChrome/156.0.8078.114')).toBe(true);
    expect(isHeadlessShell('Chrome/156.0.8078.114')).toBe(false);
    // A full browser run headless still says "HeadlessChrome" in its user agent, never in its product.
    expect(isHeadlessShell('Chrome/131.0.6778.85 HeadlessChrome')).toBe(false);
  });

  it('names the headless shell as Chromium, with its path, and gives no hint', () => {
    expect(browserLine('HeadlessChrome/156.0.8078.114', '/usr/lib/chromium/chromium-headless-shell')).toBe(
      'Chromium 156.0.8078.114 (headless shell) at /usr/lib/chromium/chromium-headless-shell',
    );
  });

  it('names a full browser as such and says how to get the headless shell', () => {
    const line = browserLine('Chrome/156.0.8078.114', '/usr/bin/chromium');
    expect(line).toBe(`Chrome/156.0.8078.114 (full browser) at /usr/bin/chromium; ${HEADLESS_SHELL_HINT}`);
    expect(HEADLESS_SHELL_HINT).toMatch(/apt-get install chromium-headless-shell/);
    expect(HEADLESS_SHELL_HINT).toMatch(/PUPPETEER_EXECUTABLE_PATH/);
  });
});

/**
 * The browser a build prints with: the progress line, `doctor` and `--json` say which one and
 * where the time went; the full browser (Chrome or Chromium, not its headless shell, which users
 * and CI runners often have) prints the same document, and opens no window per page.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BrowserSession } from '../../src/chromium/session.js';
import { briefpack, tempDir } from '../helpers/cli.js';
import { minimalPack } from '../helpers/pack.js';
import { pageTexts } from '../helpers/pdf-expect.js';

/** Debian's full Chromium: `scripts/setup.sh --test-tools` installs it beside the headless shell. */
const FULL_BROWSER = '/usr/bin/chromium';
const SHELL = '/usr/lib/chromium/chromium-headless-shell';
const env = { SOURCE_DATE_EPOCH: '1780000000' };

describe('the browser a build prints with', () => {
  const pack = minimalPack();

  it('is named on the progress line, and --json says where the time went', () => {
    const out = tempDir();
    const r = briefpack(['build', pack, '--out', out, '--no-cache'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`browser: Chromium \\d+\\.\\d+\\.\\d+\\.\\d+ \\(headless shell\\) at ${SHELL}\\n`));
    expect(r.stderr).not.toContain('full browser');

    const json = briefpack(['build', pack, '--out', tempDir(), '--no-cache', '--json'], { env });
    const timings = (JSON.parse(json.stdout) as { timings: Array<{ name: string; startMs: number; ms: number }> }).timings;
    const names = new Set(timings.map((t) => t.name));
    for (const name of ['node start and modules', 'chromium start', 'load and transform', 'print (measuring)', 'print (tagged)', 'pdf', 'epub cover', 'epub', 'html', 'write']) {
      expect(names, name).toContain(name);
    }
    const span = (name: string) => timings.find((t) => t.name === name)!;
    expect(span('node start and modules').startMs).toBe(0);
    // In the order a build goes: loaded, printed (measured, then tagged), written last.
    expect(span('load and transform').startMs).toBeGreaterThanOrEqual(span('node start and modules').ms);
    expect(span('print (tagged)').startMs).toBeGreaterThan(span('print (measuring)').startMs);
    expect(span('write').startMs).toBeGreaterThanOrEqual(span('pdf').startMs + span('pdf').ms);
    for (const t of timings) expect(t.ms, t.name).toBeGreaterThanOrEqual(0);
  });

  it('may be the full browser: the same pages, and the way to the headless shell on the progress line and in doctor', () => {
    const shell = tempDir();
    const full = tempDir();
    expect(briefpack(['build', pack, '--out', shell, '--format', 'pdf'], { env }).code).toBe(0);
    const r = briefpack(['build', pack, '--out', full, '--format', 'pdf', '--browser', FULL_BROWSER], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`browser: Chrome/\\d+[.\\d]* \\(full browser\\) at ${FULL_BROWSER}; the headless shell prints the same PDF faster: .*apt-get install chromium-headless-shell`));
    const pdf = (dir: string) => path.join(dir, readdirSync(dir).find((f) => f.endsWith('.pdf'))!);
    expect(pageTexts(pdf(full))).toEqual(pageTexts(pdf(shell)));

    const doctor = briefpack(['doctor'], { env: { PUPPETEER_EXECUTABLE_PATH: FULL_BROWSER } });
    expect(doctor.code, doctor.stdout).toBe(0);
    expect(doctor.stdout).toMatch(new RegExp(`ok {4}chromium {3}Chrome/[.\\d]+ \\(full browser\\) at ${FULL_BROWSER} \\(from PUPPETEER_EXECUTABLE_PATH\\)\\n {6}hint: the headless shell prints the same PDF faster`));
    const shellDoctor = briefpack(['doctor']);
    expect(shellDoctor.stdout).toMatch(/ok {4}chromium {3}Chromium [.\d]+ \(headless shell\) at .* \(from system\)\n/);
    expect(shellDoctor.stdout).not.toContain('hint: the headless shell');
  });

  it('opens every page of the full browser in its one window, not a window (and its omnibox renderers) each', async () => {
    const session = new BrowserSession(FULL_BROWSER, () => undefined);
    try {
      const browser = await session.browser();
      const before = (await browser.targets()).filter((t) => t.type() === 'other').length;
      const pages = [];
      for (let i = 0; i < 3; i++) pages.push(await session.isolatedPage(browser));
      expect((await browser.targets()).filter((t) => t.type() === 'other').length).toBe(before);
      for (const p of pages) await p.close();
    } finally {
      await session.close();
    }
  });
});

/**
 * Hostile and failing input: nothing leaves the renderer, nothing dangerous reaches the output,
 * timeouts and crashes end cleanly, no Chromium outlives a build, two builds do not collide.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/chromium/browser.js';
import { BIN, EXAMPLE, ROOT, briefpack, tempDir } from '../helpers/cli.js';
import { MINIMAL_MANIFEST, writePack } from '../helpers/pack.js';
import { run, unzipRead } from '../helpers/tools.js';

let server: Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('tracked');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function hostileArticle(): string {
  return `---
title: Hostile
---

Pasted from the web.

<iframe src="${base}/iframe"></iframe>
<script src="${base}/script.js"></script>
<script>fetch('${base}/inline-script')</script>
<link rel="stylesheet" href="${base}/style.css">
<style>@import url('${base}/import.css'); body { background: url('${base}/style-url.png'); }</style>
<p style="background-image: url('${base}/inline-style.png')" onclick="fetch('${base}/onclick')">Styled paragraph</p>
<object data="${base}/object"></object><embed src="${base}/embed">
<form action="${base}/form"><input name="q"></form>
<meta http-equiv="refresh" content="0; url=${base}/refresh">
<base href="${base}/base/">
<a href="javascript:fetch('${base}/js-link')">a javascript link</a>
<svg><image href="${base}/svg-image"/></svg>

## Section

The end.
`;
}

describe('hostile raw HTML in an article', () => {
  it('builds all three formats, warns about what it removed, and nothing reaches the network', () => {
    const dir = writePack({ 'pack.yaml': MINIMAL_MANIFEST, 'articles/one.md': hostileArticle() });
    const out = tempDir();
    const r = briefpack(['build', dir, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(hits).toEqual([]);
    for (const what of ['<iframe>', '<script>', '<link>', '<style>', 'the style attribute of <p>', 'the onclick attribute of <p>', '<object>', '<embed>', '<form>', '<meta>', '<base>', 'a javascript: URL in <a>', '<svg>']) {
      expect(r.stderr).toContain(`warning removed ${what} from raw HTML (markdown/html)`);
    }
    const html = readFileSync(path.join(out, 'test-pack.html'), 'utf8');
    const xhtml = unzipRead(path.join(out, 'test-pack.epub'), 'OEBPS/one.xhtml');
    for (const doc of [html, xhtml]) {
      expect(doc).not.toContain(base);
      expect(doc).not.toMatch(/<(script|iframe|object|embed|form|meta http-equiv|base )/i);
      expect(doc).not.toMatch(/ on[a-z]+=/i);
      expect(doc).not.toContain('javascript:');
      expect(doc).toContain('Styled paragraph');
    }
    expect(run('pdftotext', [path.join(out, 'test-pack.pdf'), '-'])).toContain('Styled paragraph');
  });

  it('refuses a remote image with a clear error at its line', () => {
    const dir = writePack({ 'pack.yaml': MINIMAL_MANIFEST, 'articles/one.md': `---\ntitle: T\n---\n\nText.\n\n![chart](${base}/chart.png)\n` });
    const r = briefpack(['build', dir, '--out', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`one\\.md:7:1 error remote image ${base}/chart\\.png is not allowed \\(markdown/image\\)`));
    expect(hits).toEqual([]);
  });

  it('refuses images outside the pack: absolute, ../ escapes and symlinks', () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, 'secret.png'), 'not really a png');
    const dir = writePack({
      'pack.yaml': MINIMAL_MANIFEST,
      'articles/one.md': `---\ntitle: T\n---\n\n![a](${outside}/secret.png)\n\n![b](../../${path.basename(outside)}/secret.png)\n\n![c](../images/link.png)\n\n![d](../images/missing.png)\n`,
    });
    mkdirSync(path.join(dir, 'images'));
    run('ln', ['-s', path.join(outside, 'secret.png'), path.join(dir, 'images', 'link.png')]);
    const r = briefpack(['check', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/one\.md:5:1 error image .*secret\.png is outside the pack folder/);
    expect(r.stderr).toMatch(/one\.md:7:1 error image \.\.\/\.\.\/.*secret\.png is outside the pack folder/);
    expect(r.stderr).toMatch(/one\.md:9:1 error image \.\.\/images\/link\.png is a link to a file outside the pack folder/);
    expect(r.stderr).toMatch(/one\.md:11:1 error image \.\.\/images\/missing\.png not found/);
  });
});

describe('a hostile template', () => {
  it('has every outside request blocked and reported, and the server sees none', () => {
    const dir = tempDir();
    cpSync(EXAMPLE, dir, { recursive: true });
    const t = path.join(dir, 'templates', 'leaky');
    mkdirSync(t, { recursive: true });
    writeFileSync(
      path.join(t, 'print.html'),
      readFileSync(path.join(ROOT, 'templates', 'default', 'print.html'), 'utf8').replace(
        '</head>',
        `<link rel="stylesheet" href="${base}/template.css"><script src="${base}/template.js"></script></head>`,
      ).replace('<body class="print">', `<body class="print"><img src="${base}/template.png" alt=""><img src="file:///etc/passwd" alt="">`),
    );
    writeFileSync(path.join(t, 'print.css'), `${readFileSync(path.join(ROOT, 'templates', 'default', 'print.css'), 'utf8')}\nbody { background: url('${base}/css-url.png'); }\n@font-face { font-family: X; src: url('${base}/font.woff2'); } h1 { font-family: X; }\n`);
    const r = briefpack(['build', dir, '--out', tempDir(), '--template', 'leaky', '--format', 'pdf']);
    expect(r.code, r.stderr).toBe(0);
    expect(hits).toEqual([]);
    // (file:///etc/passwd never becomes a request: Chromium refuses file: URLs from the page's origin.)
    for (const url of [`${base}/template.css`, `${base}/template.png`, `${base}/css-url.png`, `${base}/font.woff2`]) {
      expect(r.stderr).toContain(`warning blocked a request from the page: ${url} (render/request-blocked)`);
    }
    // Scripts never run: JavaScript is off, so the script is not even requested.
    expect(r.stderr).not.toContain(`${base}/template.js`);
    expect(briefpack(['build', dir, '--out', tempDir(), '--template', 'leaky', '--format', 'pdf', '--strict']).code).toBe(1);
  });
});

describe('failures', () => {
  it('times out a build that takes too long, with a clear error and exit 3', () => {
    const r = briefpack(['build', EXAMPLE, '--out', tempDir(), '--format', 'pdf', '--timeout', '0.001']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/error the build took longer than the timeout of 0\.001 s \(while .*\) \(build\/timeout\)\n  hint: .*raise --timeout/);
  });

  it('retries an artifact once when Chromium dies mid-render', () => {
    const out = tempDir();
    const r = briefpack(['build', EXAMPLE, '--out', out, '--format', 'pdf'], { env: { BRIEFPACK_TEST_CRASH_ONCE: '1' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning Chromium stopped while rendering the PDF .*retrying once with a new browser \(render\/browser\)/);
    expect(existsSync(path.join(out, 'syria-and-russia.pdf'))).toBe(true);
  });

  it('says how to install a browser when none is found (exit 3)', () => {
    const r = briefpack(['build', EXAMPLE, '--out', tempDir()], { env: { PUPPETEER_EXECUTABLE_PATH: '/nowhere/chrome' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('error PUPPETEER_EXECUTABLE_PATH names a file that does not exist: /nowhere/chrome (render/browser)');
  });

  it('reports an output folder it cannot write to (exit 3), leaving no temporary files', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    const tmp = tempDir('briefpack-tmpdir-');
    const r = briefpack(['build', EXAMPLE, '--out', path.join(file, 'out'), '--format', 'html,pdf'], { env: { TMPDIR: tmp } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/error cannot write to the output folder: .* \(output\/unwritable\)/);
    // Nothing left beside the file it could not write into, nor in the temporary folder it used.
    expect(readdirSync(dir)).toEqual(['a-file']);
    expect(readdirSync(tmp).filter((n) => !n.startsWith('briefpack-fontconfig-') && !n.startsWith('briefpack-coverage-'))).toEqual([]);
  });

  it('leaves no Chromium running after Ctrl-C in the middle of a build', async () => {
    const marker = `briefpack-test-${process.pid}-${Date.now()}`;
    const wrapper = path.join(tempDir(), 'chromium-wrapper');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${findBrowser().path} "$@" --${marker}\n`);
    chmodSync(wrapper, 0o755);
    // Count processes whose command line carries the marker, straight from /proc.
    const count = () =>
      readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .filter((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`--${marker}`);
          } catch {
            return false;
          }
        }).length;
    const child = spawn(process.execPath, [BIN, 'build', EXAMPLE, '--out', tempDir(), '--browser', wrapper], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/layout pass 1/.test(stderr)) resolve();
      });
      child.on('exit', () => reject(new Error(`build ended before rendering: ${stderr}`)));
    });
    expect(count()).toBeGreaterThan(0);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    // Give the kernel a moment to reap what was killed.
    for (let i = 0; i < 20 && count() > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(count()).toBe(0);
  });

  it('lets only one of two simultaneous builds write a folder, and leaves it whole', async () => {
    const out = tempDir();
    const start = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'build', EXAMPLE, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('exit', (code) => resolve({ code, stderr }));
      });
    const results = await Promise.all([start(), start()]);
    const codes = results.map((r) => r.code).sort();
    expect(codes[0]).toBe(0);
    if (codes[1] !== 0) {
      expect(results.find((r) => r.code !== 0)!.stderr).toMatch(/another briefpack build \(process \d+\) is writing to this folder/);
    }
    expect(readdirSync(out).filter((n) => !n.startsWith('.')).sort()).toEqual(['manifest.json', 'syria-and-russia.epub', 'syria-and-russia.html', 'syria-and-russia.pdf']);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { artifacts: Array<{ path: string; bytes: number }> };
    for (const a of manifest.artifacts) expect(readFileSync(path.join(out, a.path)).length).toBe(a.bytes);
  });
});

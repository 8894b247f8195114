/**
 * Trust boundaries (SECURITY.md): a pack from a pull request, the output folder with its cache and
 * the shared temporary folder are input that someone else controls. Each reproduction of the
 * security review fails safely: a positioned error or warning, no outside bytes in any output, no
 * hang past --timeout, no stale manifest, nothing left behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printFonts } from '../../src/fonts.js';
import { BIN, EXAMPLE, ROOT, briefpack, tempDir } from '../helpers/cli.js';
import { MINIMAL_MANIFEST, writePack } from '../helpers/pack.js';
import { run, unzipList, unzipRead } from '../helpers/tools.js';

const TOKEN = `MY_CI_TOKEN_${process.pid}_do_not_publish`;

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

function examplePack(): string {
  const dir = tempDir();
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

/** Every output file in `dir` (not the cache), unzipped where it is an EPUB, as text: what a reader of the outputs could see. */
function everythingIn(dir: string): string {
  if (!existsSync(dir)) return '';
  let all = '';
  for (const name of readdirSync(dir).filter((n) => !n.startsWith('.'))) {
    const file = path.join(dir, name);
    if (!statSync(file).isFile()) continue;
    all += file.endsWith('.epub') ? unzipList(file).map((e) => unzipRead(file, e)).join('\n') : readFileSync(file, 'latin1');
    if (file.endsWith('.pdf')) all += run('pdftotext', [file, '-']);
  }
  return all;
}

function artifactsIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')).sort() : [];
}

describe('links and special files in the pack', () => {
  it('refuses an article, sidebars and a kind that lead outside, a FIFO and /dev/zero, at once and with positions', () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, 'article.md'), `---\ntitle: Outside\n---\n\n${TOKEN}\n`);
    mkdirSync(path.join(outside, 'kind'));
    writeFileSync(path.join(outside, 'kind', 'schema.json'), '{}');
    writeFileSync(path.join(outside, 'kind', 'template.html'), `<p>${TOKEN}</p>`);
    const dir = examplePack();
    writeFileSync(path.join(dir, 'pack.yaml'), readFileSync(path.join(dir, 'pack.yaml'), 'utf8').replace('articles:\n', 'articles:\n  - leaked\n'));
    symlinkSync(path.join(outside, 'article.md'), path.join(dir, 'articles', 'leaked.md'));
    symlinkSync('/proc/self/environ', path.join(dir, 'sidebars', 'environ.yaml'));
    symlinkSync('/dev/zero', path.join(dir, 'sidebars', 'zero.yaml'));
    expect(spawnSync('mkfifo', [path.join(dir, 'sidebars', 'fifo.yaml')]).status).toBe(0);
    mkdirSync(path.join(dir, 'kinds'));
    symlinkSync(path.join(outside, 'kind'), path.join(dir, 'kinds', 'leaky'));
    const out = tempDir();
    const r = briefpack(['build', dir, '--out', out], { env: { MY_CI_TOKEN: TOKEN } });
    expect(r.code, r.stderr).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => / error /.test(l));
    expect(errors).toEqual([
      expect.stringMatching(/kinds\/leaky error kinds\/leaky is a link to a folder outside the pack folder \(file\/outside-pack\)$/),
      expect.stringMatching(/pack\.yaml:\d+:5 error .*articles\/leaked\.md is a link to a file outside the pack folder \(file\/outside-pack\)$/),
      expect.stringMatching(/sidebars\/environ\.yaml error this file is a link to a file outside the pack folder \(file\/outside-pack\)$/),
      expect.stringMatching(/sidebars\/fifo\.yaml error this file is a FIFO \(named pipe\), not a regular file \(file\/not-regular\)$/),
      expect.stringMatching(/sidebars\/zero\.yaml error this file is a link to a file outside the pack folder \(file\/outside-pack\)$/),
    ]);
    expect(r.stderr).not.toContain(TOKEN);
    expect(artifactsIn(out)).toEqual([]);
  });

  it('refuses template files linked to /proc/self/environ and /etc/passwd, publishing nothing', () => {
    const dir = examplePack();
    const t = path.join(dir, 'templates', 'leak');
    mkdirSync(t, { recursive: true });
    symlinkSync('/etc/passwd', path.join(t, 'print.html'));
    symlinkSync('/proc/self/environ', path.join(t, 'web.css'));
    symlinkSync('/etc/passwd', path.join(t, 'epub.css'));
    const out = tempDir();
    const r = briefpack(['build', dir, '--out', out, '--template', 'leak'], { env: { MY_CI_TOKEN: TOKEN } });
    expect(r.code, r.stderr).toBe(1);
    for (const file of ['print.html', 'web.css', 'epub.css']) {
      expect(r.stderr).toMatch(new RegExp(`templates/leak/${file.replace('.', '\\.')} error this file is a link to a file outside the pack folder \\(file/outside-pack\\)`));
    }
    expect(artifactsIn(out)).toEqual([]);
    expect(r.stderr + r.stdout).not.toMatch(new RegExp(`${TOKEN}|root:x:0`));
  });

  it('still follows links that stay inside the pack', () => {
    const dir = examplePack();
    const article = readdirSync(path.join(dir, 'articles'))[0]!;
    mkdirSync(path.join(dir, 'shared'));
    cpSync(path.join(dir, 'articles', article), path.join(dir, 'shared', article));
    unlinkSync(path.join(dir, 'articles', article));
    symlinkSync(path.join('..', 'shared', article), path.join(dir, 'articles', article));
    const r = briefpack(['check', dir]);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('a pack template on the HTML and EPUB side', () => {
  it('loses its script, handlers and remote loads with warnings at their lines; --strict makes them fatal', () => {
    const dir = examplePack();
    const t = path.join(dir, 'templates', 'x');
    mkdirSync(t, { recursive: true });
    cpSync(path.join(ROOT, 'templates', 'default', 'print.html'), path.join(t, 'print.html'));
    writeFileSync(
      path.join(t, 'web.html'),
      readFileSync(path.join(ROOT, 'templates', 'default', 'web.html'), 'utf8')
        .replace('</head>', `<script src="${base}/web.js"></script><script>fetch('${base}/inline')</script></head>`)
        .replace('<body class="web">', `<body class="web" onload="fetch('${base}/onload')"><img src="${base}/pixel.png" alt="">`),
    );
    writeFileSync(path.join(t, 'epub.css'), `@import url("${base}/epub-import.css");\n.chapter { margin: 0 }\n`);
    writeFileSync(path.join(t, 'web.css'), `body { background: url('${base}/web-bg.png') }\n`);
    const out = tempDir();
    const r = briefpack(['build', dir, '--out', out, '--template', 'x']);
    expect(r.code, r.stderr).toBe(0);
    for (const line of [
      /templates\/x\/epub\.css:1:1 warning removed @import of ".*epub-import\.css" from the template's style sheet/,
      /templates\/x\/web\.css:1:20 warning removed url\(".*web-bg\.png"\) from the template's style sheet/,
      /templates\/x\/web\.html:8:\d+ warning removed <script> from the template \(template\/unsafe\)/,
      /templates\/x\/web\.html:9:3 warning removed the onload attribute of <body> from the template \(template\/unsafe\)/,
      /templates\/x\/web\.html:9:\d+ warning removed the src attribute of <img> from the template: only data: URLs may be loaded \(template\/unsafe\)/,
    ]) {
      expect(r.stderr).toMatch(line);
    }
    const html = readFileSync(path.join(out, 'syria-and-russia.html'), 'utf8');
    expect(html).not.toMatch(/<script|onload=/i);
    expect(everythingIn(out)).not.toContain(base);
    expect(unzipRead(path.join(out, 'syria-and-russia.epub'), 'OEBPS/style.css')).toContain('.chapter { margin: 0 }');
    expect(hits).toEqual([]);
    const strict = briefpack(['build', dir, '--out', tempDir(), '--template', 'x', '--strict', '--format', 'html']);
    expect(strict.code).toBe(1);
  });
});

/** Entries of the build cache whose names start with `prefix`. */
function entries(out: string, prefix: string): string[] {
  return readdirSync(path.join(out, '.briefpack-cache')).filter((n) => n.startsWith(prefix)).map((n) => path.join(out, '.briefpack-cache', n));
}

function poison(out: string): void {
  for (const file of [...entries(out, 'web-chapter-'), ...entries(out, 'epub-chapter-')]) {
    const text = readFileSync(file, 'latin1');
    writeFileSync(file, text.replace(/<p>/, `<p><script>fetch('${base}/poisoned')</script>POISONED-MARKUP `), 'latin1');
  }
  for (const file of entries(out, 'chapter-tree-')) {
    writeFileSync(file, readFileSync(file, 'latin1').replace(/"value":"Damascus/, '"value":"POISONED-TEXT Damascus'), 'latin1');
  }
}

describe('a poisoned build cache', () => {
  it('is rebuilt with warnings, and nothing of it reaches the HTML, the EPUB or the PDF; --no-cache leaves it alone', () => {
    const dir = examplePack();
    const out = tempDir();
    expect(briefpack(['build', dir, '--out', out]).code).toBe(0);
    poison(out);
    const r = briefpack(['build', dir, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rejected = r.stderr.split('\n').filter((l) => l.includes('(cache/rejected)'));
    expect(rejected.length).toBeGreaterThanOrEqual(3);
    for (const prefix of ['web-chapter-', 'epub-chapter-', 'chapter-tree-']) expect(rejected.some((l) => l.includes(`.briefpack-cache/${prefix}`)), prefix).toBe(true);
    const all = everythingIn(out);
    expect(all).toContain('Damascus');
    expect(all).not.toMatch(/POISONED|<script/);

    poison(out);
    const kept = new Map(readdirSync(path.join(out, '.briefpack-cache')).map((n) => [n, readFileSync(path.join(out, '.briefpack-cache', n))]));
    const off = briefpack(['build', dir, '--out', out, '--no-cache']);
    expect(off.code, off.stderr).toBe(0);
    expect(off.stderr).not.toContain('cache/rejected');
    expect(everythingIn(out)).not.toMatch(/POISONED|<script/);
    for (const [name, bytes] of kept) expect(readFileSync(path.join(out, '.briefpack-cache', name)).equals(bytes), name).toBe(true);
    expect(hits).toEqual([]);
  });
});

/** The names the shared temporary folder once held, which anyone could have made first. */
function oldTemporaryNames(): { fontconfig: string; coverage: string } {
  const fonts = printFonts();
  const dirs = [...new Set(fonts.map((f) => path.dirname(f.file)))].sort();
  const regular = fonts.filter((f) => f.style === 'normal' && f.weight === 400).map((f) => f.file);
  const key = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
  return {
    fontconfig: `briefpack-fontconfig-${key(dirs.join('\n'))}`,
    coverage: `briefpack-coverage-${key(regular.map((f) => `${f}:${statSync(f).size}:${statSync(f).mtimeMs}`).join('\n'))}.json`,
  };
}

describe('the shared temporary folder', () => {
  it('uses nothing planted there, writes through no planted link, and is left as it was', () => {
    const tmp = tempDir();
    const names = oldTemporaryNames();
    const planted = path.join(tmp, names.fontconfig);
    mkdirSync(planted);
    const plantedCache = path.join(tmp, 'planted-fontconfig-cache');
    // A configuration of someone else's: if fontconfig reads it, it writes its cache where it says.
    const fontDirs = [...new Set(printFonts().map((f) => `<dir>${path.dirname(f.file)}</dir>`))].join('');
    writeFileSync(path.join(planted, 'fonts.conf'), `<?xml version="1.0"?>\n<fontconfig>${fontDirs}<cachedir>${plantedCache}</cachedir></fontconfig>\n`);
    // Coverage of every code point: it silenced the missing-glyph warning.
    writeFileSync(path.join(tmp, names.coverage), JSON.stringify([[0, 0x10ffff]]));
    const victim = path.join(tempDir(), 'victim.txt');
    writeFileSync(victim, 'untouched');
    const before = new Map(readdirSync(tmp, { recursive: true }).map((n) => [String(n), statSync(path.join(tmp, String(n))).mtimeMs]));
    const dir = writePack({ 'pack.yaml': MINIMAL_MANIFEST, 'articles/one.md': '---\ntitle: One\n---\n\nA symbol no shipped font has: \u{1F600}.\n' });
    const r = briefpack(['build', dir, '--out', tempDir(), '--format', 'pdf'], { env: { TMPDIR: tmp } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/one\.md:5:31 warning no shipped font has the character "\u{1F600}" \(U\+1F600\) \(font\/missing-glyph\)/u);
    expect(existsSync(plantedCache)).toBe(false);
    const after = new Map(readdirSync(tmp, { recursive: true }).map((n) => [String(n), statSync(path.join(tmp, String(n))).mtimeMs]));
    expect(after).toEqual(before);
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
  });
});

describe('Ctrl-C', () => {
  it('leaves neither the temporary print document nor the output lock behind', async () => {
    const tmp = tempDir();
    const out = tempDir();
    const child = spawn(process.execPath, [BIN, 'build', EXAMPLE, '--out', out], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/layout pass 1/.test(stderr)) resolve();
      });
      child.on('exit', () => reject(new Error(`build ended before rendering: ${stderr}`)));
    });
    // Mid-render: the print document and the lock exist now.
    expect(readdirSync(tmp)).toHaveLength(1);
    expect(existsSync(path.join(out, '.briefpack.lock'))).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(readdirSync(tmp, { recursive: true })).toEqual([]);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('manifest.json', () => {
  it('describes the files beside it even when the pack changes during the render', async () => {
    const dir = examplePack();
    const out = tempDir();
    expect(briefpack(['build', dir, '--out', out]).code).toBe(0);
    // Delete a sidebar and an article as soon as the render starts: the build made its manifest
    // from what it read, or fails with the folder as it was; either way manifest.json is true.
    const child = spawn(process.execPath, [BIN, 'build', dir, '--out', out, '--no-cache'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      const had = stderr;
      stderr += chunk.toString();
      if (!/render pdf/.test(had) && /render pdf/.test(stderr)) {
        rmSync(path.join(dir, 'sidebars', 'key-people.yaml'));
        rmSync(path.join(dir, 'pack.yaml'));
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code, stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { artifacts: Array<{ path: string; bytes: number; sha256: string }> };
    expect(manifest.artifacts).toHaveLength(3);
    for (const a of manifest.artifacts) {
      const bytes = readFileSync(path.join(out, a.path));
      expect(bytes.length, a.path).toBe(a.bytes);
      expect(createHash('sha256').update(bytes).digest('hex'), a.path).toBe(a.sha256);
    }
  });
});

describe('a custom kind\'s regular expression', () => {
  it('runs "^(a+)+$" in linear time: the build reports the mismatch long before --timeout', () => {
    const dir = writePack({
      'pack.yaml': MINIMAL_MANIFEST,
      'articles/one.md': '---\ntitle: One\n---\n\nText.\n\n::sidebar{#r}\n',
      'kinds/risk/schema.json': '{"type": "object", "properties": {"risk": {"type": "string", "pattern": "^(a+)+$"}}}',
      'kinds/risk/template.html': '<p data-text="risk"></p>',
      'sidebars/r.yaml': `title: R\nkind: risk\nrisk: "${'a'.repeat(60)}!"\n`,
    });
    const r = briefpack(['build', dir, '--out', tempDir(), '--timeout', '30']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/sidebars\/r\.yaml:3:7 error risk must match pattern "\^\(a\+\)\+\$" \(sidebar\/type\)/);
  });
});

/** A GET with the Host header given; the status, or the response itself to keep open. */
function get(url: string, host: string, keep = false): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { host } }, (response) => {
      if (!keep) response.resume();
      resolve(response);
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the preview server', () => {
  it('answers only to its own Host (DNS rebinding), and holds a bounded number of live-reload streams', async () => {
    const child = spawn(process.execPath, [BIN, 'watch', EXAMPLE, '--out', tempDir(), '--port', '0', '--format', 'html'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const open: IncomingMessage[] = [];
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let stdout = '';
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          const found = /preview at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1];
          if (found) resolve(found);
        });
        child.on('exit', () => reject(new Error('watch ended')));
      });
      const port = new URL(url).port;
      expect((await get(url, `attacker.example:${port}`)).statusCode).toBe(421);
      expect((await get(`${url}pdf`, 'attacker.example')).statusCode).toBe(421);
      expect((await get(url, `127.0.0.1:${Number(port) + 1}`)).statusCode).toBe(421);
      expect((await get(url, `127.0.0.1:${port}`)).statusCode).toBe(200);
      expect((await get(url, `localhost:${port}`)).statusCode).toBe(200);
      for (let i = 0; i < 16; i++) {
        const stream = await get(`${url}events`, `127.0.0.1:${port}`, true);
        expect(stream.statusCode).toBe(200);
        open.push(stream);
      }
      expect((await get(`${url}events`, `127.0.0.1:${port}`)).statusCode).toBe(503);
      open.pop()!.destroy();
      // A closed stream makes room for another: wait until the server has seen it go.
      let status: number | undefined;
      while (status !== 200) {
        const next = await get(`${url}events`, `127.0.0.1:${port}`, true);
        status = next.statusCode;
        if (status === 200) open.push(next);
        else await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      for (const stream of open) stream.destroy();
      child.kill('SIGINT');
      await new Promise((resolve) => child.on('exit', resolve));
    }
  }, 120_000);
});

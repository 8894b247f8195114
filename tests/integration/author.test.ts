/** The author's path: init a pack, build it, switch templates, embed the library, follow the README. */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, ROOT, briefpack, tempDir } from '../helpers/cli.js';
import { epubCheck, pageCount, pdfFonts } from '../helpers/tools.js';

describe('briefpack init', () => {
  it('scaffolds a pack with one sidebar of each kind that builds to PDF and EPUB without edits', () => {
    const dir = path.join(tempDir(), 'my-pack');
    const init = briefpack(['init', dir]);
    expect(init.code, init.stderr).toBe(0);
    const kinds = readFileSync(path.join(dir, 'sidebars', 'timeline.yaml'), 'utf8');
    expect(kinds).toContain('#'); // fields are explained in comments
    const check = briefpack(['check', dir, '--strict']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/ok \(1 article, 2 sections, 8 sidebars\)/);
    const out = tempDir();
    const build = briefpack(['build', dir, '--out', out, '--format', 'pdf,epub', '--strict']);
    expect(build.code, build.stderr).toBe(0);
    expect(pageCount(path.join(out, 'my-first-briefing-pack.pdf'))).toBeGreaterThanOrEqual(3);
    expect(epubCheck(path.join(out, 'my-first-briefing-pack.epub')).messages).toEqual([]);
  });

  it('refuses a folder that is not empty (exit 2)', () => {
    const r = briefpack(['init', EXAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the folder is not empty');
  });
});

describe('templates', () => {
  it('builds the example pack with --template memo: no cover, articles run on', () => {
    const out = tempDir();
    const r = briefpack(['build', EXAMPLE, '--out', out, '--template', 'memo', '--format', 'pdf,epub']);
    expect(r.code, r.stderr).toBe(0);
    const pdf = path.join(out, 'syria-and-russia.pdf');
    const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-'], { encoding: 'utf8' });
    // The memo heading, the contents and the article's start share the first page.
    expect(first).toContain('CONTENTS');
    expect(first).toContain('Damascus and Moscow Move Toward Strategic Reset');
    expect(first).toContain('A flurry of high-level Syrian visits');
    expect(first).toMatch(/Page 1 of \d/);
    for (const font of pdfFonts(pdf)) expect(font.embedded).toBe(true);
    expect(epubCheck(path.join(out, 'syria-and-russia.epub')).messages).toEqual([]);
  });

  it('names the choices when a template does not exist', () => {
    for (const command of ['check', 'build']) {
      const r = briefpack([command, EXAMPLE, '--out', tempDir(), '--template', 'glossy']);
      expect(r.code, command).toBe(1);
      expect(r.stderr).toMatch(/error unknown template "glossy" \(template\/unknown\)\n  hint: Built-in templates: default, memo;/);
    }
  });
});

describe('library API', () => {
  it('exports exactly the documented API', async () => {
    const api = await import('briefpack');
    expect(Object.keys(api).sort()).toEqual(['BuildFailure', 'ExitCode', 'VERSION', 'build', 'check', 'formatDiagnostic']);
  });

  it('builds with typed options and returns artifacts and messages', async () => {
    const { build } = await import('briefpack');
    const out = tempDir();
    const result = await build({ packDir: EXAMPLE, outDir: out, formats: ['html'] });
    expect(result.artifacts.map((a) => [a.format, path.basename(a.path)])).toEqual([['html', 'syria-and-russia.html']]);
    expect(result.artifacts[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.diagnostics).toEqual([]);
    expect(existsSync(path.join(out, 'syria-and-russia.html'))).toBe(true);
  });

  it('throws a BuildFailure with positioned diagnostics on bad content', async () => {
    const { build, BuildFailure } = await import('briefpack');
    const dir = tempDir();
    cpSync(EXAMPLE, dir, { recursive: true });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'pack.yaml'), 'title: x\n');
    const error = await build({ packDir: dir, outDir: tempDir() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailure);
    const failure = error as InstanceType<typeof BuildFailure>;
    expect(failure.exitCode).toBe(1);
    expect(failure.diagnostics.map((d) => d.message)).toEqual(expect.arrayContaining(['date is required', 'organisation is required', 'articles is required']));
  });
});

describe('the README', () => {
  it('shows only briefpack commands that run as shown', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const commands = blocks.flatMap((b) => b.split('\n')).map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
    const work = tempDir();
    cpSync(path.join(ROOT, 'content'), path.join(work, 'content'), { recursive: true });
    let ran = 0;
    for (const command of commands) {
      // npm start and npm test are the set-up contract, proved by CI on a clean checkout.
      if (command === 'npm start' || command === 'npm test' || command.startsWith('npm start')) continue;
      const env = command.startsWith('SOURCE_DATE_EPOCH=') ? { SOURCE_DATE_EPOCH: '1780000000' } : {};
      const line = command.replace(/^SOURCE_DATE_EPOCH=\$\(git log -1 --format=%ct\) /, '');
      if (line.startsWith('sha256sum')) continue; // reads what the previous command wrote
      expect(line, 'README commands are npx briefpack ...').toMatch(/^npx briefpack /);
      const args = line.replace(/^npx briefpack /, '').split(/\s+/);
      const r = briefpack(args, { cwd: work, env });
      expect(r.code, `${command}\n${r.stderr}`).toBe(0);
      ran++;
    }
    expect(ran).toBeGreaterThanOrEqual(3);
  });
});

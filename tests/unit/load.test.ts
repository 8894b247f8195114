import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/build.js';
import { BuildFailure, formatDiagnostic, type Diagnostic } from '../../src/diagnostics.js';
import { EXAMPLE } from '../helpers/cli.js';
import { MINIMAL_ARTICLE, MINIMAL_MANIFEST, minimalPack, writePack } from '../helpers/pack.js';

/** Run `check` and return its diagnostics, whether it failed or not. */
async function diagnosticsOf(dir: string): Promise<Diagnostic[]> {
  try {
    return (await check({ packDir: dir })).diagnostics;
  } catch (error) {
    if (error instanceof BuildFailure) return [...error.diagnostics];
    throw error;
  }
}

function where(d: Diagnostic): string {
  return `${path.basename(d.file ?? '')}:${d.position?.line}:${d.position?.column}`;
}

describe('the example pack', () => {
  it('loads and validates with no problems', async () => {
    const { pack, diagnostics } = await check({ packDir: EXAMPLE });
    expect(diagnostics).toEqual([]);
    expect(pack.manifest.title).toBe('Syria and Russia');
    expect(pack.chapters).toHaveLength(1);
    expect(pack.toc[0]!.children.map((s) => s.title)).toEqual(['Converging agendas', 'Security first, politics later', 'Eyes on October']);
    expect(pack.sidebars.size).toBeGreaterThanOrEqual(5);
    expect(new Set([...pack.sidebars.values()].map((s) => s.kind)).size).toBeGreaterThanOrEqual(5);
  });

  it('names the seven officials in the key-people sidebar', async () => {
    const { pack } = await check({ packDir: EXAMPLE });
    const people = pack.sidebars.get('key-people');
    expect(people?.kind).toBe('people');
    if (!people || 'custom' in people || people.kind !== 'people') return;
    expect(people.people.map((p) => p.name).sort()).toEqual(
      ['Ahmed Hussein al-Sharaa', 'Andrei Belousov', 'Asʿad al-Shaybani', 'Hussein Salameh', 'Murhaf Abu Qasra', 'Sergei Lavrov', 'Vladimir Putin'].sort(),
    );
  });
});

describe('manifest problems', () => {
  it('reports malformed YAML with file, line and column', async () => {
    const dir = writePack({ 'pack.yaml': 'title: Test\ndate: 2026-01-01\norganisation: [unclosed\narticles: []\n' });
    const [d] = await diagnosticsOf(dir);
    expect(d?.rule).toBe('yaml/syntax');
    expect(d?.file).toMatch(/pack\.yaml$/);
    expect(d?.position?.line).toBeGreaterThanOrEqual(3);
    expect(formatDiagnostic(d!)).toMatch(/pack\.yaml:\d+:\d+ error YAML syntax/);
  });

  it('points at the value of a field with the wrong type', async () => {
    const dir = minimalPack({ 'pack.yaml': `${MINIMAL_MANIFEST}duplex: sometimes\n` });
    const list = await diagnosticsOf(dir);
    expect(list.map((d) => [where(d), d.message])).toEqual([['pack.yaml:6:9', 'duplex must be true or false, not the text "sometimes"']]);
  });

  it('points at the key of an unknown field', async () => {
    const dir = minimalPack({ 'pack.yaml': `${MINIMAL_MANIFEST}  # comment\ncolour: blue\n` });
    const list = await diagnosticsOf(dir);
    expect(list.map((d) => [where(d), d.message])).toEqual([['pack.yaml:7:1', 'colour is not a known field']]);
  });

  it('reports a missing required field and an impossible date together', async () => {
    const dir = minimalPack({ 'pack.yaml': 'title: T\ndate: 2026-02-30\narticles: [one]\n' });
    const list = await diagnosticsOf(dir);
    expect(list.map((d) => [where(d), d.message]).sort()).toEqual(
      [
        ['pack.yaml:1:1', 'organisation is required'],
        ['pack.yaml:2:7', 'date must be a real date written YYYY-MM-DD'],
      ].sort(),
    );
  });

  it('says so when there is no pack.yaml', async () => {
    const dir = writePack({ 'articles/one.md': MINIMAL_ARTICLE });
    const [d] = await diagnosticsOf(dir);
    expect(d?.rule).toBe('manifest/missing');
  });

  it('reports two articles with the same file name (slug) at the second entry', async () => {
    const dir = writePack({
      'pack.yaml': `${MINIMAL_MANIFEST}  - more/one.md\n`,
      'articles/one.md': MINIMAL_ARTICLE,
      'more/one.md': MINIMAL_ARTICLE,
    });
    const list = await diagnosticsOf(dir);
    expect(list.map((d) => [where(d), d.rule, d.message])).toEqual([
      ['pack.yaml:6:5', 'article/duplicate', '"more/one.md" has the same file name as "one"; article slugs must be unique'],
    ]);
  });

  it('reports an article listed twice', async () => {
    const dir = minimalPack({ 'pack.yaml': `${MINIMAL_MANIFEST}  - one\n` });
    const list = await diagnosticsOf(dir);
    expect(list.map((d) => [where(d), d.rule, d.message])).toEqual([['pack.yaml:6:5', 'article/duplicate', '"one" is listed twice in articles']]);
  });

  it('reports an article listed but missing at its line in pack.yaml', async () => {
    const dir = writePack({ 'pack.yaml': MINIMAL_MANIFEST });
    const [d] = await diagnosticsOf(dir);
    expect([where(d!), d?.rule, d?.message]).toEqual(['pack.yaml:5:5', 'file/missing', 'article "one" not found (looked for articles/one.md)']);
  });
});

describe('front matter problems', () => {
  it('reports YAML errors at their line in the article file', async () => {
    const dir = minimalPack({ 'articles/one.md': '---\ntitle: One\ntags: [a, b\n---\n\nText.\n' });
    const [d] = await diagnosticsOf(dir);
    expect(d?.rule).toBe('yaml/syntax');
    expect(d?.file).toMatch(/articles\/one\.md$/);
    expect(d?.position?.line).toBeGreaterThanOrEqual(3);
  });

  it('counts lines from the top of the file, not of the YAML block', async () => {
    const dir = minimalPack({ 'articles/one.md': '---\ntitle: One\nstandfirst: ok\ndate: yesterday\n---\n\nText.\n' });
    const list = await diagnosticsOf(dir);
    expect(list.map((d) => [where(d), d.message])).toEqual([['one.md:4:7', 'date must be a real date written YYYY-MM-DD']]);
  });

  it('requires front matter', async () => {
    const dir = minimalPack({ 'articles/one.md': '# Just text\n' });
    const [d] = await diagnosticsOf(dir);
    expect([where(d!), d?.rule]).toEqual(['one.md:1:1', 'frontmatter/missing']);
  });

  it('rejects an article with no text', async () => {
    const dir = minimalPack({ 'articles/one.md': '---\ntitle: One\n---\n' });
    const [d] = await diagnosticsOf(dir);
    expect(d?.rule).toBe('article/empty');
  });

  it('accepts a byte-order mark and CRLF line ends', async () => {
    const dir = minimalPack({ 'articles/one.md': `\uFEFF${MINIMAL_ARTICLE.replace(/\n/g, '\r\n')}` });
    const { pack, diagnostics } = await check({ packDir: dir });
    expect(diagnostics).toEqual([]);
    expect(pack.chapters[0]!.toc.children.map((s) => s.title)).toEqual(['First section']);
  });

  it('rejects text that is not UTF-8, with the position of the bad byte', async () => {
    const bytes = Buffer.concat([Buffer.from('---\ntitle: One\n---\n\nCaf'), Buffer.from([0xe9]), Buffer.from(' noir\n')]);
    const dir = minimalPack({ 'articles/one.md': bytes });
    const [d] = await diagnosticsOf(dir);
    expect([where(d!), d?.rule]).toEqual(['one.md:5:4', 'file/encoding']);
  });

  it('reports an unknown sidebar id at the placement', async () => {
    const dir = minimalPack({ 'articles/one.md': '---\ntitle: One\nsidebars:\n  - nobody\n---\n\nText.\n\n::sidebar{#ghost}\n' });
    const list = await diagnosticsOf(dir);
    expect(list.map((d) => [where(d), d.rule, d.message])).toEqual([
      ['one.md:4:5', 'sidebar/unknown-id', 'no sidebar with id "nobody"'],
      ['one.md:9:1', 'sidebar/unknown-id', 'no sidebar with id "ghost"'],
    ]);
  });
});

/**
 * Editions made without rendering (check): what each holds and leaves out, the marking it is
 * printed with, portion marks and withheld notices, links and notes to what it leaves out, and
 * cache keys that keep one edition's chapters from another.
 */
import { toString } from 'hast-util-to-string';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { check, type EditionCheck } from '../../src/build.js';
import { BuildFailure } from '../../src/diagnostics.js';
import type { Pack } from '../../src/model.js';
import { writePack } from '../helpers/pack.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const MANIFEST = `title: Marked Pack
date: 2026-01-15
organisation: Test Unit
levels: [PUBLIC, OFFICIAL, SECRET]
caveats: [{name: NOFORN, short: NF}]
portion_marks: true
editions:
  full:
  partners: {max: SECRET, exclude: NOFORN}
  public: {max: PUBLIC, withheld: notice}
articles:
  - open
  - secret
`;

const OPEN = `---
title: Open article
standfirst: An open standfirst.
sidebars:
  - facts
  - hidden
---

Open text, [a link to the hidden part](#hidden-heading), [one to the secret article](secret.md), [one to its heading](secret.md#secret-section) and a note.[^open] See [its id](#secret--secret-section).

:::marked{level=OFFICIAL}
Official words.
:::

:::marked{level=SECRET caveats=NOFORN}
## Hidden heading

Secret words, with a picture ![a secret picture](../images/secret.png) and a note.[^secret]

::sidebar{#facts}

[^secret]: A secret note.
:::

Back in the open, a mark for the secret note.[^secret]

[^open]: An open note.
`;

const SECRET = `---
title: Secret article
level: SECRET
---

Secret article words.

## Secret section

More.
`;

function files(manifest = MANIFEST): Record<string, string | Buffer> {
  return {
    'pack.yaml': manifest,
    'articles/open.md': OPEN,
    'articles/secret.md': SECRET,
    'images/secret.png': PNG,
    'sidebars/facts.yaml': 'title: Facts\nkind: facts\nfacts:\n  - label: Open label\n    value: Open value\n',
    'sidebars/hidden.yaml': 'title: Hidden sidebar\nkind: facts\nlevel: OFFICIAL\ncaveats: NOFORN\nfacts:\n  - label: Hidden label\n    value: Hidden value\n',
  };
}

const text = (pack: Pack) => pack.chapters.map((c) => toString(c.tree)).join('\n');
const html = (pack: Pack) => pack.chapters.map((c) => toHtml(c.tree)).join('\n');

async function editionsOf(manifest = MANIFEST, dir = writePack(files(manifest))) {
  const result = await check({ packDir: dir });
  const byName = new Map<string | undefined, EditionCheck>(result.editions.map((e) => [e.name, e]));
  return { result, byName, dir, edition: (name: string | undefined) => byName.get(name)!.pack };
}

describe('what each edition holds', () => {
  it('the whole pack and the full edition hold everything, marked with its highest level and caveats', async () => {
    const { result, edition } = await editionsOf();
    for (const pack of [result.pack, edition('full')]) {
      expect(pack.manifest.classification).toBe('SECRET//NOFORN');
      expect(pack.chapters.map((c) => c.article.slug)).toEqual(['open', 'secret']);
      for (const words of ['Official words', 'Secret words', 'A secret note', 'Hidden label', 'Secret article words']) expect(text(pack)).toContain(words);
      expect(pack.toc[0]!.children.map((s) => s.title)).toEqual(['Hidden heading']);
    }
    expect(result.pack.manifest.slug).toBe('marked-pack');
    expect(result.pack.manifest.builtEdition).toBeUndefined();
    expect(edition('full').manifest.slug).toBe('marked-pack-full');
    expect(edition('full').manifest.builtEdition).toEqual({ name: 'full', title: 'Full edition' });
  });

  it('the partners edition leaves out what carries NOFORN, and is marked SECRET', async () => {
    const { edition } = await editionsOf();
    const pack = edition('partners');
    expect(pack.manifest.classification).toBe('SECRET');
    expect(pack.chapters.map((c) => c.article.slug)).toEqual(['open', 'secret']);
    const words = text(pack);
    expect(words).toContain('Official words');
    expect(words).toContain('Secret article words');
    for (const gone of ['Secret words', 'A secret note', 'Hidden label', 'Hidden heading', 'a secret picture']) expect(words).not.toContain(gone);
  });

  it('the public edition holds only what is public: no article, passage, heading, picture, note or sidebar above it', async () => {
    const { edition } = await editionsOf();
    const pack = edition('public');
    expect(pack.manifest.classification).toBe('PUBLIC');
    expect(pack.manifest.articles).toEqual(['open']);
    expect(pack.chapters.map((c) => c.article.slug)).toEqual(['open']);
    expect(pack.toc.map((e) => [e.title, e.children.length])).toEqual([['Open article', 0]]);
    expect([...pack.sidebars.keys()]).toEqual(['facts']);
    const page = html(pack);
    for (const gone of ['Official words', 'Secret words', 'A secret note', 'Hidden', 'secret.png', 'a secret picture', 'Secret article', 'Secret section']) expect(page).not.toContain(gone);
    expect(pack.chapters[0]!.images).toEqual([]);
    expect(pack.chapters[0]!.ids.defined.some((id) => id.includes('hidden'))).toBe(false);
    // Its notices where the parts were, as it asks for them; the open sidebar placed in the secret passage went with it.
    expect(page.match(/class="withheld-notice"/g)).toHaveLength(3);
    expect(page).toContain('[A passage is withheld from this edition.]');
    expect(page).toContain('[A sidebar is withheld from this edition.]');
    expect(page).toContain('Open value');
  });

  it('prints portion marks before paragraphs, the standfirst, notes and sidebar titles, as each is marked', async () => {
    const { edition } = await editionsOf();
    const page = html(edition('full'));
    expect(page).toContain('<p class="standfirst"><span class="portion-mark">(P)</span> An open standfirst.</p>');
    expect(page).toMatch(/<p><span class="portion-mark">\(P\)<\/span> Open text/);
    expect(page).toMatch(/<p><span class="portion-mark">\(O\)<\/span> Official words/);
    expect(page).toMatch(/<p><span class="portion-mark">\(S\/\/NF\)<\/span> Secret words/);
    expect(page).toMatch(/<span class="portion-mark">\(S\/\/NF\)<\/span> A secret note/);
    expect(page).toMatch(/<span class="portion-mark">\(O\/\/NF\)<\/span> Hidden sidebar/);
    expect(page).toMatch(/<span class="portion-mark">\(S\)<\/span> Secret article words/);
    // A silent edition says nothing where it leaves parts out.
    expect(html(edition('partners'))).not.toContain('withheld-notice');
  });

  it('lists what each edition leaves out, where it is, with its marking', async () => {
    const { byName } = await editionsOf();
    const shown = (name: string) => byName.get(name)!.withheld.map((w) => `${w.kind} ${w.file.split('/').pop()}:${w.line}:${w.column}${w.endLine ? `-${w.endLine}` : ''} ${w.id ?? ''} ${w.marking}`);
    expect(shown('full')).toEqual([]);
    expect(shown('partners')).toEqual(['sidebar hidden.yaml:3:8 hidden OFFICIAL//NOFORN', 'passage open.md:15:1-23  SECRET//NOFORN']);
    expect(shown('public')).toEqual([
      'sidebar hidden.yaml:3:8 hidden OFFICIAL//NOFORN',
      'passage open.md:11:1-13  OFFICIAL',
      'passage open.md:15:1-23  SECRET//NOFORN',
      'article secret.md:3:8  SECRET',
    ]);
  });
});

describe('links and notes to what an edition leaves out', () => {
  it('prints them as text, with a warning that names neither the part nor the link target', async () => {
    const { result, edition } = await editionsOf();
    const pack = edition('public');
    const page = html(pack);
    expect(page).not.toMatch(/href="#(open--hidden|secret)/);
    expect(page).toContain('a link to the hidden part');
    expect(page).toContain('one to the secret article');
    // The mark of the secret note, in open text, goes with the note.
    expect(page).not.toContain('fnref-secret');
    const warnings = result.diagnostics.filter((d) => d.rule === 'edition/withheld').map((d) => `${d.position?.line}:${d.position?.column} ${d.message}`);
    expect(warnings).toEqual([
      '9:12 a link to a part of the pack that the partners edition leaves out; printed as plain text',
      '9:12 a link to a part of the pack that the public edition leaves out; printed as plain text',
      '9:58 a link to a part of the pack that the public edition leaves out; printed as plain text',
      '9:98 a link to a part of the pack that the public edition leaves out; printed as plain text',
      '9:168 a link to a part of the pack that the public edition leaves out; printed as plain text',
      '25:46 a note whose text the partners edition leaves out: its mark is left out too',
      '25:46 a note whose text the public edition leaves out: its mark is left out too',
    ]);
    for (const d of result.diagnostics) expect(d.message).not.toMatch(/hidden|secret\.md|secret-section/i);
  });
});

describe('the cache keys of an edition', () => {
  it('differ between editions for the same article, and with what the edition leaves out', async () => {
    const { result, edition, dir } = await editionsOf();
    const keys = [result.pack, edition('full'), edition('partners'), edition('public')].map((p) => p.chapters[0]!.key);
    expect(new Set(keys).size).toBe(4);
    // The same edition made twice has the same keys: the cache serves it.
    const again = await editionsOf(MANIFEST, dir);
    expect(again.edition('public').chapters[0]!.key).toBe(keys[3]);
  });

  it('weigh in print only what the edition prints', async () => {
    const { result, edition } = await editionsOf();
    expect(edition('public').chapters[0]!.article.printWeight).toBeLessThan(result.pack.chapters[0]!.article.printWeight);
    expect(edition('full').chapters[0]!.article.printWeight).toBe(result.pack.chapters[0]!.article.printWeight);
  });
});

describe('editions that cannot be made', () => {
  it('an edition that holds no article is an error at its name', async () => {
    const manifest = MANIFEST.replace('  public: {max: PUBLIC, withheld: notice}\n', '  public: {max: PUBLIC, withheld: notice}\n  none: {max: PUBLIC, exclude: NOFORN}\n').replace('  - open\n', '');
    const error = await check({ packDir: writePack(files(manifest)) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailure);
    expect((error as BuildFailure).diagnostics.filter((d) => d.rule === 'edition/empty').map((d) => `${d.position?.line}:${d.position?.column} ${d.message}`)).toEqual([
      '10:3 the edition public holds none of the pack\'s articles',
      '11:3 the edition none holds none of the pack\'s articles',
    ]);
  });
});

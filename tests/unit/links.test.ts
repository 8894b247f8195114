/**
 * Links as authors write them on GitHub: between articles by file, to headings by GitHub's
 * anchors, to the web; and what goes nowhere printed as text with a warning at its position.
 */
import { describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { validUri } from '../../src/transform/links.js';
import { checkArticles } from '../helpers/chapter.js';
import { tempDir } from '../helpers/cli.js';

const hrefs = (html: string | undefined) => [...(html ?? '').matchAll(/<a href="([^"]*)"[^>]*>(.*?)<\/a>/g)].map((m) => [m[2]!.replace(/<[^>]+>/g, ''), m[1]!]);

describe('heading anchors', () => {
  it('are the ones GitHub makes, prefixed with the article, with -1, -2 for repeats', async () => {
    const { pack } = await checkArticles({
      budget: "## Sanctions (2026): what's next?\n\n### `Budget.total(year[, options])`\n\n## Notes\n\n## Notes\n\n## Überblick\n\n## 日本語\n",
    });
    const ids = pack.chapters[0]!.ids.defined.filter((id) => id.startsWith('budget--'));
    expect(ids).toEqual([
      'budget--sanctions-2026-whats-next',
      'budget--budgettotalyear-options',
      'budget--notes',
      'budget--notes-1',
      'budget--überblick',
      'budget--日本語',
    ]);
    expect(pack.toc[0]!.children.map((s) => s.title)).toEqual(["Sanctions (2026): what's next?", 'Notes', 'Notes', 'Überblick', '日本語']);
  });

  it('keep ids written in raw HTML (prefixed), make repeated ones unique, and let references follow them', async () => {
    const { html } = await checkArticles({ a: '<div id="dup">one</div>\n\n<div id="dup">two</div>\n\n<a name="old">named</a>\n\n[to dup](#dup), [to old](#old)\n' });
    expect(html.a).toContain('<div id="a--dup">one</div>');
    expect(html.a).toContain('<div id="a--dup-1">two</div>');
    expect(html.a).toMatch(/<a id="a--old">named<\/a>|<span id="a--old">/);
    expect(hrefs(html.a)).toEqual([
      ['to dup', '#a--dup'],
      ['to old', '#a--old'],
    ]);
  });

  it('name a heading that is only an image by its alt text, and leave out one that shows nothing', async () => {
    const { pack, messages } = await checkArticles({ a: '## ![Logo](../images/a.png)\n\n## `code-only`\n\n## <span></span>\n\nText.' }, { 'images/a.png': png() });
    expect(pack.toc[0]!.children.map((s) => s.title)).toEqual(['Logo', 'code-only']);
    expect(messages).toContain('articles/a.md:9:1 warning left out a heading with no text (markdown/heading)');
  });
});

describe('links between articles', () => {
  it('go to the article or heading named by file, with or without ./ and ../, from the pack root too', async () => {
    const { html, messages } = await checkArticles({
      links: [
        '[plain](budget.md) [dot](./budget.md#spending-plans) [up](../articles/budget.md#sanctions-2026-whats-next)',
        '[root](/articles/budget.md#budgettotalyear-options) [title](budget.md "The budget") [reference][r]',
        '[ours](budget.md#budget--spending-plans) [old slug](budget.md#sanctions-2026-what-s-next) [case](budget.md#Spending-Plans)',
        '[raw id](budget.md#annex-a) [legacy](#budget) [legacy heading](#budget--notes)',
        '',
        '[r]: budget.md#notes-1',
      ].join('\n'),
      budget: "## Spending plans\n\n## Sanctions (2026): what's next?\n\n### `Budget.total(year[, options])`\n\n## Notes\n\n## Notes\n\n<a id=\"annex-a\"></a>Annex.",
    });
    expect(hrefs(html.links)).toEqual([
      ['plain', '#budget'],
      ['dot', '#budget--spending-plans'],
      ['up', '#budget--sanctions-2026-whats-next'],
      ['root', '#budget--budgettotalyear-options'],
      ['title', '#budget'],
      ['reference', '#budget--notes-1'],
      ['ours', '#budget--spending-plans'],
      ['old slug', '#budget--sanctions-2026-whats-next'],
      ['case', '#budget--spending-plans'],
      ['raw id', '#budget--annex-a'],
      ['legacy', '#budget'],
      ['legacy heading', '#budget--notes'],
    ]);
    expect(messages.filter((m) => m.includes('markdown/link'))).toEqual([]);
  });

  it('within an article, by GitHub anchor, raw id, briefpack id or another case', async () => {
    const { html } = await checkArticles({ a: "[gh](#whats-here) [ours](#what-s-here) [full](#a--whats-here) [case](#WHATS-HERE) [note](#fn-1)\n\n## What's here?\n\nText[^1].\n\n[^1]: A note." });
    expect(hrefs(html.a).slice(0, 5)).toEqual([
      ['gh', '#a--whats-here'],
      ['ours', '#a--whats-here'],
      ['full', '#a--whats-here'],
      ['case', '#a--whats-here'],
      ['note', '#a--fn-1'],
    ]);
    // The footnote's own links, both ways, land too.
    expect(html.a).toMatch(/href="#a--fn-1"[^>]*data-footnote-ref/);
    expect(html.a).toMatch(/id="a--fn-1"/);
    expect(html.a).toMatch(/href="#a--fnref-1"/);
  });

  it('that go nowhere are printed as their text, each with a warning at its position, and no file: link is left', async () => {
    const { html, messages } = await checkArticles(
      {
        a: [
          '[no article](nope.md) [no heading](b.md#nope) [none here](#nowhere)',
          '[csv](../data/figures.csv) [folder](../data) [outside](../../../etc/passwd) [unlisted](../notes/extra.md)',
          '[space](<foo bar>) [tick](`) [empty]()',
          '[bad web](https://exa%20mple.com:99999/) [fine web](<https://example.com/a b|c>) [mail](mailto:desk@example.com)',
        ].join('\n'),
        b: 'Text.',
      },
      { 'data/figures.csv': 'a,b\n', 'notes/extra.md': '# Extra\n' },
    );
    expect(hrefs(html.a)).toEqual([
      ['fine web', 'https://example.com/a%20b%7Cc'],
      ['mail', 'mailto:desk@example.com'],
    ]);
    for (const text of ['no article', 'no heading', 'none here', 'csv', 'folder', 'outside', 'unlisted', 'space', 'tick', 'empty', 'bad web']) expect(html.a).toContain(text);
    expect(messages.filter((m) => m.includes('markdown/link'))).toEqual([
      'articles/a.md:5:1 warning link to nope.md: no such file in the pack; printed as plain text (markdown/link)',
      'articles/a.md:5:23 warning link to b.md#nope: no heading or id of that name in that article; printed as plain text (markdown/link)',
      'articles/a.md:5:47 warning link to #nowhere: no heading or id of that name in this article; printed as plain text (markdown/link)',
      'articles/a.md:6:1 warning link to ../data/figures.csv: a file of the pack that is not an article, which readers of the PDF, EPUB and HTML cannot open; printed as plain text (markdown/link)',
      'articles/a.md:6:28 warning link to ../data: a folder; printed as plain text (markdown/link)',
      'articles/a.md:6:46 warning link to ../../../etc/passwd: outside the pack folder; printed as plain text (markdown/link)',
      "articles/a.md:6:77 warning link to ../notes/extra.md: a Markdown file that is not one of the pack's articles (add it to articles: in pack.yaml to include it); printed as plain text (markdown/link)",
      'articles/a.md:7:1 warning link to foo bar: no such file in the pack; printed as plain text (markdown/link)',
      'articles/a.md:7:20 warning link to `: no such file in the pack; printed as plain text (markdown/link)',
      'articles/a.md:7:30 warning a link with no target; printed as plain text (markdown/link)',
      'articles/a.md:8:1 warning link to "https://exa mple.com:99999/": not a valid web or mail address; printed as plain text (markdown/link)',
    ]);
  });

  it('that the cache kept are checked again when what they link to changes', async () => {
    const pack = tempDir('briefpack-links-');
    const out = tempDir('briefpack-links-out-');
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(`${pack}/articles`);
    writeFileSync(`${pack}/articles/a.md`, '---\ntitle: A\n---\n\n[to b](b.md#section)\n');
    writeFileSync(`${pack}/articles/b.md`, '---\ntitle: B\n---\n\n## Section\n\nText.\n');
    const manifest = (articles: string[]) => `title: T\ndate: 2026-01-15\norganisation: O\narticles: [${articles.join(', ')}]\n`;
    writeFileSync(`${pack}/pack.yaml`, manifest(['a', 'b']));
    const first = await build({ packDir: pack, outDir: out, formats: ['html'] });
    expect(first.diagnostics.filter((d) => d.rule === 'markdown/link')).toEqual([]);
    // b leaves the pack: a's link now names a file that is not an article.
    writeFileSync(`${pack}/pack.yaml`, manifest(['a']));
    const second = await build({ packDir: pack, outDir: out, formats: ['html'] });
    expect(second.diagnostics.filter((d) => d.rule === 'markdown/link').map((d) => d.message)).toEqual([
      "link to b.md#section: a Markdown file that is not one of the pack's articles (add it to articles: in pack.yaml to include it); printed as plain text",
    ]);
    // b's heading is renamed: a's link, from the cache, is found dead.
    writeFileSync(`${pack}/pack.yaml`, manifest(['a', 'b']));
    writeFileSync(`${pack}/articles/b.md`, '---\ntitle: B\n---\n\n## Renamed\n\nText.\n');
    const third = await build({ packDir: pack, outDir: out, formats: ['html'] });
    expect(third.diagnostics.filter((d) => d.rule === 'markdown/link').map((d) => `${d.position?.line}:${d.position?.column} ${d.message}`)).toEqual([
      '5:1 link to b.md#section: no heading or id of that name in that article; printed as plain text',
    ]);
  });
});

describe('web addresses', () => {
  it('are made valid URIs, or refused', () => {
    expect(validUri('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(validUri('https://example.com/a|b^c`d{e}[f]')).toBe('https://example.com/a%7Cb%5Ec%60d%7Be%7D%5Bf%5D');
    expect(validUri('https://exämple.com/ü?q=ü#ü')).toBe('https://xn--exmple-cua.com/%C3%BC?q=%C3%BC#%C3%BC');
    expect(validUri('https://example.com/100%')).toBe('https://example.com/100%25');
    expect(validUri('mailto:desk@example.com')).toBe('mailto:desk@example.com');
    expect(validUri('javascript:alert(1)')).toBeUndefined();
    expect(validUri('file:///etc/passwd')).toBeUndefined();
    expect(validUri('https://')).toBeUndefined();
  });
});

function png(): Buffer {
  return Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
}

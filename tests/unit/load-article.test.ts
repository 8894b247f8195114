/**
 * src/load/article.ts with src/schema/frontmatter.ts: an article's front matter as the
 * renderers get it, where it is placed, and what an author is told about each mistake.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/build.js';
import { BuildFailure, type Diagnostic } from '../../src/diagnostics.js';
import { MINIMAL_MANIFEST, writePack } from '../helpers/pack.js';

const QUOTE = 'title: Q\nkind: quote\ntext: x\nspeaker: y\n';

/** check() of a one-article pack whose article is `text`: its article, or what went wrong. */
async function article(text: string, extra: Record<string, string> = {}) {
  const dir = writePack({ 'pack.yaml': MINIMAL_MANIFEST, 'articles/one.md': text, ...extra });
  const line = (d: Diagnostic) => `${d.file ? path.basename(d.file) : '-'}:${d.position?.line}:${d.position?.column} ${d.severity} ${d.rule} ${d.message}`;
  try {
    const { pack, diagnostics } = await check({ packDir: dir });
    return { article: pack.chapters[0]!.article, problems: diagnostics.map(line) };
  } catch (error) {
    if (!(error instanceof BuildFailure)) throw error;
    return { article: undefined, problems: error.diagnostics.map(line) };
  }
}

describe('front matter', () => {
  it('gives every field as written, trimmed, with tags and sidebars empty when not given', async () => {
    const { article: a, problems } = await article('---\ntitle: "  One  "\n---\n\nText.\n');
    expect(problems).toEqual([]);
    expect(a?.meta).toEqual({ title: 'One', tags: [], sidebars: [] });
    expect(a?.lang).toBe('en');
    expect(a?.placements).toEqual([]);
  });

  it('takes each field the README lists', async () => {
    const { article: a, problems } = await article(
      [
        '---',
        'title: One',
        'short_title: One, short',
        'standfirst: What this is about.',
        'date: 2026-11-20',
        'author: A. Analyst',
        'source: {name: Reuters, url: "https://example.com/a"}',
        'photo_credit: AP',
        'tags: [Syria, Russia]',
        'bottom_line: [First, Second]',
        'lang: ar',
        '---',
        '',
        'Text.',
        '',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(a?.meta).toEqual({
      title: 'One',
      short_title: 'One, short',
      standfirst: 'What this is about.',
      date: '2026-11-20',
      author: 'A. Analyst',
      source: { name: 'Reuters', url: 'https://example.com/a' },
      photo_credit: 'AP',
      tags: ['Syria', 'Russia'],
      bottom_line: ['First', 'Second'],
      sidebars: [],
      lang: 'ar',
    });
    expect(a?.lang).toBe('ar');
  });

  it('reads a source given by name alone, and a link to write to', async () => {
    const named = await article('---\ntitle: One\nsource: Reuters\n---\n\nText.\n');
    expect(named.article?.meta.source).toEqual({ name: 'Reuters', url: undefined });
    const plain = await article('---\ntitle: One\nsource: {name: Desk, url: "http://example.com/a"}\n---\n\nText.\n');
    expect(plain.problems).toEqual([]);
    const mail = await article('---\ntitle: One\nsource: {name: Desk, url: "mailto:desk@example.com"}\n---\n\nText.\n');
    expect(mail.problems).toEqual([]);
    expect(mail.article?.meta.source).toEqual({ name: 'Desk', url: 'mailto:desk@example.com' });
  });

  it('places sidebars by id or by id and section, each at its line, then those in the text', async () => {
    const { article: a, problems } = await article('---\ntitle: One\nsidebars:\n  - q\n  - {id: r, section: Later}\n---\n\nText.\n\n## Later\n\n::sidebar{#q}\n', {
      'sidebars/q.yaml': QUOTE,
      'sidebars/r.yaml': QUOTE,
    });
    expect(problems).toEqual([]);
    expect(a?.placements).toEqual([
      { id: 'q', section: undefined, inline: false, file: expect.stringMatching(/one\.md$/), position: { line: 4, column: 5 } },
      { id: 'r', section: 'Later', inline: false, file: expect.stringMatching(/one\.md$/), position: { line: 5, column: 5 } },
      { id: 'q', inline: true, file: expect.stringMatching(/one\.md$/), position: { line: 12, column: 1 } },
    ]);
    expect(a?.meta.sidebars).toEqual([
      { id: 'q', section: undefined },
      { id: 'r', section: 'Later' },
    ]);
  });

  it('names as sections the # and ## headings, not the deeper ones', async () => {
    const { article: a } = await article('---\ntitle: One\n---\n\n# Top\n\nText.\n\n## Second **bold**\n\n### Third\n\nMore.\n');
    expect(a?.sections).toEqual(['Top', 'Second bold']);
  });

  it.each([
    ['a blank title', '---\ntitle: " "\n---\n\nText.\n', ['one.md:2:8 error frontmatter/invalid title must not be empty']],
    ['no title', '---\nauthor: A\n---\n\nText.\n', ['one.md:2:1 error frontmatter/invalid title is required']],
    ['an unknown field', '---\ntitle: One\nsubtitle: S\n---\n\nText.\n', ['one.md:3:1 error frontmatter/invalid subtitle is not a known field']],
    ['a source link that runs script', '---\ntitle: One\nsource: {name: X, url: "javascript:alert(1)"}\n---\n\nText.\n', ['one.md:3:24 error frontmatter/invalid source.url must be an http(s) or mailto: URL']],
    ['a source link with a blank in it', '---\ntitle: One\nsource: {name: X, url: "https://exa mple.com"}\n---\n\nText.\n', ['one.md:3:24 error frontmatter/invalid source.url must be an http(s) or mailto: URL']],
    ['a source link to no host', '---\ntitle: One\nsource: {name: X, url: "https://"}\n---\n\nText.\n', ['one.md:3:24 error frontmatter/invalid source.url must be an http(s) or mailto: URL']],
    ['a source link that runs script and ends in an address', '---\ntitle: One\nsource: {name: X, url: "javascript:void(\'https://example.com\')"}\n---\n\nText.\n', ['one.md:3:24 error frontmatter/invalid source.url must be an http(s) or mailto: URL']],
    ['a source link with a blank in its path', '---\ntitle: One\nsource: {name: X, url: "https://example.com/a b"}\n---\n\nText.\n', ['one.md:3:24 error frontmatter/invalid source.url must be an http(s) or mailto: URL']],
    ['an empty source', '---\ntitle: One\nsource: ""\n---\n\nText.\n', ['one.md:3:9 error frontmatter/invalid source must not be empty']],
    ['a source link with text before it', '---\ntitle: One\nsource: {name: X, url: "see https://example.com"}\n---\n\nText.\n', ['one.md:3:24 error frontmatter/invalid source.url must be an http(s) or mailto: URL']],
    ['a source with an unknown field', '---\ntitle: One\nsource: {name: X, link: "https://example.com"}\n---\n\nText.\n', ['one.md:3:19 error frontmatter/invalid source.link is not a known field']],
    ['a source that is a list', '---\ntitle: One\nsource: [X]\n---\n\nText.\n', ['one.md:3:9 error frontmatter/invalid source must be a text, or a mapping with name and url']],
    ['seven bottom lines', `---\ntitle: One\nbottom_line: [a, b, c, d, e, f, g]\n---\n\nText.\n`, ['one.md:3:14 error frontmatter/invalid bottom_line may have at most 6 items']],
    ['no bottom line in the list', '---\ntitle: One\nbottom_line: []\n---\n\nText.\n', ['one.md:3:14 error frontmatter/invalid bottom_line needs at least 1 item']],
    ['a placement that is a number', '---\ntitle: One\nsidebars: [3]\n---\n\nText.\n', ['one.md:3:12 error frontmatter/invalid sidebars[0] must be a sidebar id, or a mapping with id and section']],
    ['a placement without its id', '---\ntitle: One\nsidebars: [{section: S}]\n---\n\nText.\n', ['one.md:3:12 error frontmatter/invalid sidebars[0].id is required']],
    ['a language that is no tag', '---\ntitle: One\nlang: Arabic\n---\n\nText.\n', ['one.md:3:7 error frontmatter/invalid lang must be a language tag such as "en", "en-GB" or "ar"']],
    ['a date the calendar lacks', '---\ntitle: One\ndate: 2026-02-29\n---\n\nText.\n', ['one.md:3:7 error frontmatter/invalid date must be a real date written YYYY-MM-DD']],
    ['no text after the front matter', '---\ntitle: One\n---\n', ['one.md:4:1 error article/empty the article has front matter but no text']],
    ['no front matter', 'Text.\n', ['one.md:1:1 error frontmatter/missing the article has no front matter (a YAML block between --- lines at the top)']],
    ['a ::sidebar without an id', '---\ntitle: One\n---\n\nText.\n\n::sidebar\n', ['one.md:7:1 error markdown/directive ::sidebar needs an id, as in ::sidebar{#key-people}']],
    ['an unknown directive', '---\ntitle: One\n---\n\nText.\n\n::chart{#c}\n\n:::aside\nx\n:::\n', ['one.md:7:1 error markdown/directive unknown directive ::chart', 'one.md:9:1 error markdown/directive unknown directive :::aside']],
    ['an image path with a broken escape', '---\ntitle: One\n---\n\nText ![map](images/a%zz.png).\n', ['one.md:5:6 error markdown/image image images/a%zz.png has a malformed percent-escape (% must be followed by the two hex digits of a UTF-8 byte)']],
    ['a referenced image path with a broken escape', '---\ntitle: One\n---\n\nText ![map][m].\n\n[m]: images/b%.png\n', ['one.md:5:6 error markdown/image image images/b%.png has a malformed percent-escape (% must be followed by the two hex digits of a UTF-8 byte)']],
  ])('reports %s', async (_name, text, expected) => {
    const { problems } = await article(text);
    expect(problems.filter((p) => !p.includes(' warning ')).sort()).toEqual([...expected].sort());
  });

  it('takes an image address with a scheme or from another host as it is', async () => {
    const { problems } = await article('---\ntitle: One\n---\n\n![a](https://example.com/a%zz.png) ![b](//example.com/b%.png)\n');
    expect(problems.filter((p) => p.includes('markdown/image') && p.includes('percent-escape'))).toEqual([]);
  });
});

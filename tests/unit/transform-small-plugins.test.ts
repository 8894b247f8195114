/**
 * The transform's smaller steps, through the chapter the author gets (tests/helpers/chapter.ts:
 * load, check and transform in memory): direction of right-to-left text, breaks in long web
 * addresses, names of task boxes, endnotes, text that only looks like a directive, raw HTML,
 * and the ids a chapter defines and links to.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { isRightToLeft } from '../../src/transform/direction.js';
import { checkArticles, type Checked } from '../helpers/chapter.js';

let checked: Checked;

beforeAll(async () => {
  checked = await checkArticles({
    rtl: [
      '<p lang="ar">مرحبا</p>',
      '',
      '<p lang="fa-IR">سلام</p>',
      '',
      '<p lang="ar-Latn">marhaba</p>',
      '',
      '<p lang="he" dir="ltr">set by the author</p>',
      '',
      '<p lang="en">English</p>',
      '',
      '<p lang="AR">upper case</p>',
    ].join('\n'),
    urls: [
      '[https://example.com/reports/2026/annual-report.pdf?lang=en#p_3](https://example.com/reports/2026/annual-report.pdf?lang=en#p_3)',
      '',
      '[https://example.com/a](https://example.com/a)',
      '',
      '[See the long report on example.com please](https://example.com/reports/2026/annual-report.pdf)',
      '',
      '[ftp://files.example.org//deep/path~name%20x&y=z](ftp://files.example.org//deep/path~name%20x&y=z)',
      '',
      '[https://example.com/**bold**/and-more-text](https://example.com/x)',
      '',
      '[exactly thirty: http://ab.cd/](https://example.com/)',
      '',
      '[http://example.org/abcdefghij](http://example.org/abcdefghij)',
      '',
      '[http://example.org/abcdefghijk](http://example.org/abcdefghijk)',
    ].join('\n'),
    tasks: [
      '- [ ] Call the  ministry\n- [x] Send the brief\n- [ ] <span></span>\n- [x] <b></b>\n- [ ] Parent item\n  - [ ] Child item\n',
      '',
      `- [ ] ${'long '.repeat(30)}end`,
      '',
      '* [ ] Loose item\n\n* [x] Second loose item',
    ].join('\n'),
    notes: 'A claim.[^1] Another.[^b]\n\n[^1]: The source.\n[^b]: Another source.\n',
    colons: 'The ratio was 3:1 and Note:this stays, as does :word[label].\n',
    ids: '## First\n\n[to first](#first) [again](#first) [to second](#second) [web](https://example.com/)\n\n## Second\n',
  });
});

describe('right-to-left text', () => {
  it('gets dir="rtl" from a right-to-left language, unless written in Latin letters or the author set a direction', () => {
    const html = checked.html.rtl!;
    expect(html).toContain('<p lang="ar" dir="rtl">مرحبا</p>');
    expect(html).toContain('<p lang="fa-IR" dir="rtl">سلام</p>');
    expect(html).toContain('<p lang="AR" dir="rtl">upper case</p>');
    expect(html).toContain('<p lang="ar-Latn">marhaba</p>');
    expect(html).toContain('<p lang="he" dir="ltr">set by the author</p>');
    expect(html).toContain('<p lang="en">English</p>');
  });

  it('is any of the right-to-left languages, by their primary tag', () => {
    for (const lang of ['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ks', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi', 'ur-PK', 'he-IL']) expect(isRightToLeft(lang), lang).toBe(true);
    for (const lang of ['en', 'de', 'arz-Latn', 'ku-latn', 'far', 'a', '', undefined]) expect(isRightToLeft(lang), String(lang)).toBe(false);
  });
});

describe('long web addresses in link text', () => {
  it('get a break opportunity after each run of slashes and before punctuation, the text unchanged', () => {
    const html = checked.html.urls!;
    expect(html).toContain(
      '>https://example.com<wbr>.com/<wbr>reports/<wbr>2026/<wbr>annual<wbr>-report<wbr>.pdf<wbr>?lang<wbr>=en<wbr>#p<wbr>_3</a>'.replace('example.com<wbr>.com', 'example<wbr>.com'),
    );
    expect(html).toContain('>ftp://files<wbr>.example<wbr>.org//<wbr>deep/<wbr>path<wbr>~name<wbr>%20x<wbr>&#x26;y<wbr>=z</a>');
  });

  it('are left alone when short, or when the text is not the address alone', () => {
    const html = checked.html.urls!;
    expect(html).toContain('>https://example.com/a</a>');
    expect(html).toContain('>See the long report on example.com please</a>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('>exactly thirty: http://ab.cd/</a>');
    // 29 characters stay as they are; from 30 on, they get breaks.
    expect(html).toContain('>http://example.org/abcdefghij</a>');
    expect(html).toContain('>http://example<wbr>.org/<wbr>abcdefghijk</a>');
  });
});

describe('task lists', () => {
  it('name each box by its item\'s own text, or by its state when the item has none', () => {
    const labels = [...checked.html.tasks!.matchAll(/<input[^>]*aria-label="([^"]*)"/g)].map((m) => m[1]);
    expect(labels).toEqual(['Call the ministry', 'Send the brief', 'to do', 'done', 'Parent item', 'Child item', `${'long '.repeat(30).slice(0, 119)}…`, 'Loose item', 'Second loose item']);
  });
});

describe('footnotes', () => {
  it('are numbered Notes at the end, linked both ways with their roles', () => {
    const html = checked.html.notes!;
    expect(html).toMatch(/<section[^>]*class="endnotes"[^>]*role="doc-endnotes"|<section[^>]*role="doc-endnotes"[^>]*class="endnotes"/);
    expect(html).toMatch(/<p id="[^"]+" class="endnotes-title">Notes<\/p>/);
    expect(html).not.toContain('<h2');
    expect((html.match(/role="doc-noteref"/g) ?? []).length).toBe(2);
    expect((html.match(/role="doc-backlink"/g) ?? []).length).toBe(2);
  });
});

describe('text that looks like a directive', () => {
  it('stays text as written', () => {
    expect(checked.html.colons).toContain('The ratio was 3:1 and Note:this stays, as does :word[label].');
    expect(checked.messages.filter((m) => m.includes('colons'))).toEqual([]);
  });
});

describe("a chapter's ids", () => {
  it('lists the ids it defines in order, and each id it links to once', () => {
    const ids = checked.pack.chapters.find((c) => c.article.slug === 'ids')!.ids;
    expect(ids.defined).toEqual(expect.arrayContaining(['ids--first', 'ids--second']));
    expect(ids.defined.indexOf('ids--first')).toBeLessThan(ids.defined.indexOf('ids--second'));
    expect(ids.linked).toEqual(['ids--first', 'ids--second']);
  });
});

/**
 * What the transform does for readers who do not see the page: heading levels without gaps, table
 * headers that name something, named task checkboxes, images without alt text published as such;
 * the record of where headings, images and tables were written, and how Ace's findings and the
 * EPUB's accessibility metadata are made from it.
 */
import type { Element } from 'hast';
import { describe, expect, it } from 'vitest';
import { accessibilityMetadata } from '../../src/epub/epub.js';
import { epubChapterTree } from '../../src/epub/chapter-tree.js';
import { aceFindings, elementSource } from '../../src/validate/ace.js';
import { walkElements } from '../../src/tree-walk.js';
import { checkArticles, elementsOf } from '../helpers/chapter.js';
// @ts-expect-error: a plain JS module, also run by hand
import { makePng } from '../../scripts/generate-pack.mjs';

/** The elements of a tree with this tag name, in document order. */
function inOrder(tree: Parameters<typeof walkElements>[0], tagName: string): Element[] {
  const found: Element[] = [];
  walkElements(tree, (node) => {
    if (node.tagName === tagName) found.push(node);
  });
  return found;
}

const headings = (html: string) => [...html.matchAll(/<(h[1-6])([^>]*)>(.*?)<\/h[1-6]>/g)].map((m) => `${m[1]}${/class="([^"]*)"/.exec(m[2]!)?.[1] ? `.${/class="([^"]*)"/.exec(m[2]!)![1]}` : ''} ${m[3]!.replace(/<[^>]+>/g, '')}`);

describe('heading levels', () => {
  it('makes the title the only H1: a # heading in the text is a section, in the contents like ##', async () => {
    const { html, pack, messages } = await checkArticles({ readme: '# readme\n\nText.\n\n## Install\n\n### From npm\n\n# Licence\n\nMIT.' });
    expect(headings(html.readme!)).toEqual(['h1.chapter-title readme', 'h2 readme', 'h2 Install', 'h3 From npm', 'h2 Licence']);
    expect(pack.chapters[0]!.toc.children.map((s) => s.title)).toEqual(['readme', 'Install', 'Licence']);
    expect(messages).toEqual([]);
  });

  it('brings a heading that skips a level up to the next, with a warning at its line, keeping its written look', async () => {
    const { html, messages } = await checkArticles({
      skips: ['### First', '', '## A', '', '#### B', '', '#### C', '', '##### D', '', '### E', '', '###### F'].join('\n'),
    });
    expect(headings(html.skips!)).toEqual([
      'h1.chapter-title skips',
      'h2.look-h3 First',
      'h2 A',
      'h3.look-h4 B',
      'h3.look-h4 C',
      'h4.look-h5 D', // under C, as written: nested stays nested
      'h3 E',
      'h4.look-h6 F',
    ]);
    expect(messages).toEqual([
      'articles/skips.md:5:1 warning heading "First" skips a level (level 3 under a level-1 heading): printed as a level-2 heading (markdown/heading)',
      'articles/skips.md:9:1 warning heading "B" skips a level (level 4 under a level-2 heading): printed as a level-3 heading (markdown/heading)',
      'articles/skips.md:11:1 warning heading "C" skips a level (level 4 under a level-2 heading): printed as a level-3 heading (markdown/heading)',
      'articles/skips.md:17:1 warning heading "F" skips a level (level 6 under a level-3 heading): printed as a level-4 heading (markdown/heading)',
    ]);
  });

  it('counts raw HTML headings, not empty ones nor the notes heading', async () => {
    const { html, messages } = await checkArticles({ raw: '## A\n\n###\n\n<h4>Raw</h4>\n\nNote.[^1]\n\n[^1]: The note.' });
    expect(headings(html.raw!)).toEqual(['h1.chapter-title raw', 'h2 A', 'h3.look-h4 Raw']);
    expect(messages.filter((m) => m.includes('skips'))).toEqual([
      'articles/raw.md:9:1 warning heading "Raw" skips a level (level 4 under a level-2 heading): printed as a level-3 heading (markdown/heading)',
    ]);
  });
});

describe('tables', () => {
  it('leaves out a header row with nothing in it and makes a lone empty header cell a cell; warns where no header is left', async () => {
    const { html, messages, pack } = await checkArticles({
      tables: ['| | |', '| --- | --- |', '| a | b |', '', '| | Left |', '| --- | --- |', '| row | 1 |', '', '| Name | Role |', '| --- | --- |', '| Ada | Analyst |'].join('\n'),
    });
    const tables = html.tables!.match(/<table>[\s\S]*?<\/table>/g)!;
    expect(tables[0]).not.toContain('<th');
    expect(tables[0]).not.toContain('<thead');
    expect(tables[1]).toMatch(/<thead>\s*<tr>\s*<td><\/td>\s*<th>Left<\/th>/);
    expect(tables[2]).toContain('<th>Name</th>');
    expect(messages).toEqual(['articles/tables.md:5:1 warning table has no header row: screen readers cannot say which column a cell is in (markdown/table)']);
    expect(pack.chapters[0]!.sources.tables).toEqual([
      { header: false, position: { line: 5, column: 1 } },
      { header: true, position: { line: 9, column: 1 } },
      { header: true, position: { line: 13, column: 1 } },
    ]);
  });

  it('warns about a raw HTML table without header cells', async () => {
    const { messages } = await checkArticles({ raw: 'Text.\n\n<table><tr><td>a</td><td>b</td></tr></table>' });
    expect(messages).toEqual(['articles/raw.md:7:1 warning table has no header row: screen readers cannot say which column a cell is in (markdown/table)']);
  });
});

describe('task lists', () => {
  it('names each checkbox by its item', async () => {
    const { pack } = await checkArticles({ tasks: '- [ ] Write the [draft](https://example.org)\n- [x] Read it\n  - nested\n' });
    const boxes = inOrder(pack.chapters[0]!.tree, 'input');
    expect(boxes.map((node) => [node.properties.ariaLabel, node.properties.checked ?? false])).toEqual([
      ['Write the draft', false],
      ['Read it', true],
    ]);
  });
});

describe('images without alt text', () => {
  it('go out without alt (not as decoration), warned at their line; the chapter records which', async () => {
    const { pack, messages } = await checkArticles(
      { img: 'Intro.\n\n![A logo](../images/a.png)\n\nInline ![](../images/a.png) image.\n\n<img src="../images/a.png" alt="  ">' },
      { 'images/a.png': makePng(4, 4) as Buffer },
    );
    const imgs = inOrder(pack.chapters[0]!.tree, 'img').map((node) => node.properties.alt);
    expect(imgs).toEqual(['A logo', undefined, undefined]);
    expect(messages).toEqual([
      'articles/img.md:9:8 warning image ../images/a.png has no alt text (markdown/image)',
      'articles/img.md:11:1 warning image ../images/a.png has no alt text (markdown/image)',
    ]);
    expect(pack.chapters[0]!.sources.images).toEqual([
      { alt: true, position: { line: 7, column: 1 } },
      { alt: false, position: { line: 9, column: 8 } },
      { alt: false, position: { line: 11, column: 1 } },
    ]);
  });
});

describe('the EPUB accessibility metadata', () => {
  it('claims alternativeText only when every image has alt text, and says what is missing', async () => {
    const png = { 'images/a.png': makePng(4, 4) as Buffer };
    const good = await checkArticles({ a: '![A logo](../images/a.png)\n\n| H |\n| - |\n| c |' }, png);
    const bad = await checkArticles({ a: '![](../images/a.png)\n\n![Logo](../images/a.png)', b: '<table><tr><td>x</td></tr></table>\n\n| H |\n| - |\n| c |' }, png);
    const plain = await checkArticles({ a: 'Text.' });
    const g = accessibilityMetadata(good.pack);
    expect(g.features).toEqual(['alternativeText', 'displayTransformability', 'readingOrder', 'structuralNavigation', 'tableOfContents']);
    expect(g.sufficient).toEqual(['textual']);
    expect(g.summary).toContain('; every image has a text alternative; every table has header cells.');
    const b = accessibilityMetadata(bad.pack);
    expect(b.features).not.toContain('alternativeText');
    expect(b.sufficient).toEqual(['textual,visual']);
    expect(b.summary).toContain('; 1 image of 2 in the articles has no text alternative; 1 table of 2 has no header cells.');
    expect(accessibilityMetadata(plain.pack).summary).toMatch(/the only image is the cover, which has a text alternative\.$/);
  });
});

describe("Ace's findings, traced to the article line", () => {
  it('follows an EPUB CFI to the element, and names the line of the heading, image or table it is or is in', async () => {
    const { pack } = await checkArticles(
      { traps: 'Intro.\n\n## Section\n\nText ![](../images/a.png) here.\n\n| | Col |\n| - | - |\n| a | b |\n\n- [ ] task' },
      { 'images/a.png': makePng(4, 4) as Buffer },
    );
    const chapter = pack.chapters[0]!;
    const tree = epubChapterTree(chapter.tree, (s) => s);
    // The CFI of an element, as Ace's createCFI makes it: element children counted in twos from the body (/4).
    const cfiOf = (target: Element) => {
      const steps: number[] = [];
      let node: Element | undefined = target;
      const parents = new Map(elementsOf(tree).map(({ node: n, parent }) => [n, parent]));
      while (node) {
        const parent: Element | Parameters<typeof walkElements>[0] = parents.get(node)!;
        const siblings = (parent.children as Element['children']).filter((c): c is Element => c.type === 'element');
        steps.unshift((siblings.indexOf(node) + 1) * 2);
        node = parent.type === 'element' ? parent : undefined;
      }
      return `/4/${steps.join('/')}`;
    };
    const find = (tag: string) => inOrder(tree, tag)[0]!;
    expect(elementSource(chapter, tree, cfiOf(find('img')))?.position).toEqual({ line: 9, column: 6 });
    expect(elementSource(chapter, tree, cfiOf(find('td')))?.position).toEqual({ line: 11, column: 1 });
    expect(elementSource(chapter, tree, cfiOf(find('h2')))?.position).toEqual({ line: 7, column: 1 });
    // An element in none of them: the heading it comes under.
    expect(elementSource(chapter, tree, cfiOf(find('input')))?.position).toEqual({ line: 7, column: 1 });
    expect(elementSource(chapter, tree, '/4/2/99')?.position).toBeUndefined();

    const report = {
      assertions: [
        { 'earl:testSubject': { url: 'OEBPS/content.opf' }, assertions: [{ 'earl:test': { 'dct:title': 'metadata-x', 'earl:impact': 'minor', 'dct:description': 'Metadata' }, 'earl:result': {} }] },
        {
          'earl:testSubject': { url: 'traps.xhtml' },
          assertions: [
            {
              'earl:test': { 'dct:title': 'image-alt', 'earl:impact': 'critical', 'dct:description': 'Images need alt text' },
              'earl:result': { 'earl:pointer': { cfi: [cfiOf(find('img'))] }, html: '<img xmlns="http://www.w3.org/1999/xhtml" src="a.png" />' },
            },
          ],
        },
      ],
    };
    expect(aceFindings(report, pack)).toEqual([
      { rule: 'metadata-x', impact: 'minor', document: 'content.opf', description: 'Metadata', html: undefined },
      { rule: 'image-alt', impact: 'critical', document: 'traps.xhtml', description: 'Images need alt text', html: '<img src="a.png" />', file: chapter.article.file, position: { line: 9, column: 6 } },
    ]);
  });
});

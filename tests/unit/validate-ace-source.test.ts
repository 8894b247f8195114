/**
 * src/validate/ace.ts, elementSource and aceFindings: an EPUB CFI from Ace's report followed to
 * the element, and that element traced to the article line it came from, on a chapter tree made
 * here (accessibility.test.ts does the same on a chapter briefpack made).
 */
import type { ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import type { Chapter, Pack } from '../../src/model.js';
import { aceFindings, elementSource } from '../../src/validate/ace.js';

const at = (line: number) => ({ file: 'articles/a.md', position: { line, column: 1 } });
// body > h1, p(img, span), h2, table > tbody > tr > td > em, p > span > b
const tree: Root = {
  type: 'root',
  children: [
    h('h1', 'Title'),
    h('p', [h('img', { src: 'a.png' }), h('span', 'after the image')]),
    h('h2', 'Section'),
    h('table', [h('tbody', [h('tr', [h('td', [h('em', 'cell')])])])]),
    h('p', [h('span', [h('b', 'bold')])]),
  ] as ElementContent[],
};
const chapter = {
  article: { file: 'articles/a.md', slug: 'a' },
  tree,
  sources: { headings: [at(1), at(7)], images: [at(3)], tables: [at(9)] },
} as unknown as Chapter;

const line = (cfi: string) => elementSource(chapter, tree, cfi)?.position?.line;

describe('an EPUB CFI followed to the article line', () => {
  it('names the line of the heading, image or table the element is', () => {
    expect(line('/4/2')).toBe(1);
    expect(line('/4/6')).toBe(7);
    expect(line('/4/4/2')).toBe(3);
    expect(line('/4/8')).toBe(9);
  });

  it('names the table an element is in, however deep, the outermost step too', () => {
    expect(line('/4/8/2/2/2/2')).toBe(9);
    expect(line('/4/8/2')).toBe(9);
  });

  it('names the heading an element comes under when it is in none of them', () => {
    expect(line('/4/4/4')).toBe(1);
    expect(line('/4/4')).toBe(1);
    expect(line('/4/10/2/2')).toBe(7);
  });

  it('reads past the ids that a CFI may give in brackets', () => {
    expect(line('/4/2[title]')).toBe(1);
    expect(line('/4[body-id]/4[p-1]/2[img-1]')).toBe(3);
  });

  it('stops at the last element that is there', () => {
    expect(line('/4/4/98')).toBe(1);
    expect(line('/4/8/2/2/98/2')).toBe(9);
  });

  it('finds nothing for a CFI that does not start at the body, has an odd step or points at nothing', () => {
    expect(line('/6/2')).toBeUndefined();
    expect(line('/2/4')).toBeUndefined();
    expect(line('/4/4/3')).toBeUndefined();
    expect(line('/4/3/2')).toBeUndefined();
    expect(line('/4/x')).toBeUndefined();
    expect(line('/4')).toBeUndefined();
    expect(line('/4/98')).toBeUndefined();
    expect(line('')).toBeUndefined();
  });

  it('finds nothing above the first heading', () => {
    const early: Root = { type: 'root', children: [h('p', 'before any heading'), h('h1', 'Title')] as ElementContent[] };
    expect(elementSource(chapter, early, '/4/2')).toBeUndefined();
  });
});

describe("Ace's findings", () => {
  const pack = { chapters: [chapter] } as unknown as Pack;
  const finding = (url: string, cfi: string[] | undefined, html?: string) => ({
    assertions: [
      {
        'earl:testSubject': { url },
        assertions: [{ 'earl:test': { 'dct:title': 'rule', 'earl:impact': 'serious', 'dct:description': 'Said\nat length' }, 'earl:result': { 'earl:pointer': cfi ? { cfi } : {}, html } }],
      },
    ],
  });

  it('in a chapter name its article, and the line when the CFI leads to one', () => {
    expect(aceFindings(finding('OEBPS/a.xhtml', ['/4/4/2']), pack)[0]).toMatchObject({ document: 'a.xhtml', description: 'Said', file: 'articles/a.md', position: { line: 3 } });
    expect(aceFindings(finding('/OEBPS/a.xhtml', ['/4/8/2', '/4/2']), pack)[0]).toMatchObject({ file: 'articles/a.md', position: { line: 9 } });
    // No CFI, or one that leads nowhere: the article alone.
    const [none] = aceFindings(finding('OEBPS/a.xhtml', undefined), pack);
    expect(none).toMatchObject({ file: 'articles/a.md' });
    expect(none!.position).toBeUndefined();
    const [nowhere] = aceFindings(finding('OEBPS/a.xhtml', ['/6/2']), pack);
    expect(nowhere).toMatchObject({ file: 'articles/a.md' });
    expect(nowhere!.position).toBeUndefined();
    expect(aceFindings(finding('OEBPS/a.xhtml', []), pack)[0]!.position).toBeUndefined();
  });

  it('elsewhere name the document, with OEBPS/ taken off its start only', () => {
    const [opf] = aceFindings(finding('EPUB/OEBPS/content.opf', ['/4/2']), pack);
    expect(opf).toMatchObject({ document: 'EPUB/OEBPS/content.opf' });
    expect(opf!.file).toBeUndefined();
    expect(opf!.position).toBeUndefined();
  });

  it('follow the chapter tree as the EPUB has it, made once per chapter', () => {
    const report = finding('OEBPS/a.xhtml', ['/4/4/2']);
    report.assertions[0]!.assertions.push(report.assertions[0]!.assertions[0]!);
    const found = aceFindings(report, pack);
    expect(found.map((f) => f.position?.line)).toEqual([3, 3]);
  });

  it('shorten long HTML to 120 characters', () => {
    const exact = `<p>${'x'.repeat(113)}</p>`;
    expect(exact).toHaveLength(120);
    expect(aceFindings(finding('OEBPS/x.xhtml', undefined, exact), pack)[0]!.html).toBe(exact);
    const longer = `<p>${'x'.repeat(114)}</p>`;
    expect(aceFindings(finding('OEBPS/x.xhtml', undefined, longer), pack)[0]!.html).toBe(`${longer.slice(0, 119)}…`);
  });
});

/**
 * src/validate/pdf-structure.ts: what `--validate` finds in a PDF's tagged structure, on PDFs
 * made here with exactly the fault in question (accessibility.test.ts has Chromium's own prints).
 */
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString, type PDFContext, type PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { pdfStructureProblems, type ArticleSources } from '../../src/validate/pdf-structure.js';

interface El {
  S: string;
  K?: El[] | El;
  Alt?: string;
  ActualText?: string;
  /** Attributes: one dictionary, or a list (with a revision number, as PDF allows). */
  A?: Record<string, string> | Array<Record<string, string> | number>;
}

function element(context: PDFContext, e: El): PDFRef {
  const dict = context.obj({ Type: 'StructElem', S: e.S });
  if (Array.isArray(e.K)) dict.set(PDFName.of('K'), context.obj(e.K.map((k) => element(context, k))));
  else if (e.K) dict.set(PDFName.of('K'), element(context, e.K));
  if (e.Alt !== undefined) dict.set(PDFName.of('Alt'), PDFHexString.fromText(e.Alt));
  if (e.ActualText !== undefined) dict.set(PDFName.of('ActualText'), PDFString.of(e.ActualText));
  const attributes = (a: Record<string, string>) => context.obj(Object.fromEntries(Object.entries(a).map(([k, v]) => [k, PDFName.of(v)])));
  if (Array.isArray(e.A)) dict.set(PDFName.of('A'), context.obj(e.A.map((a) => (typeof a === 'number' ? a : context.register(attributes(a))))));
  else if (e.A) dict.set(PDFName.of('A'), attributes(e.A));
  return context.register(dict);
}

interface Made {
  tree?: El[];
  roleMap?: Record<string, string>;
  lang?: string;
  title?: string;
  displayTitle?: boolean;
}

/** A three-page PDF with the given structure tree, and its metadata right unless said otherwise. */
async function pdf(made: Made, finish?: (doc: PDFDocument) => void): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (let i = 0; i < 3; i++) doc.addPage([400, 600]);
  const { context, catalog } = doc;
  if (made.lang !== '') catalog.set(PDFName.of('Lang'), PDFString.of(made.lang ?? 'en'));
  if (made.title !== '') doc.setTitle(made.title ?? 'A pack');
  if (made.displayTitle !== false) catalog.set(PDFName.of('ViewerPreferences'), context.obj({ DisplayDocTitle: true }));
  if (made.tree) {
    const root = context.obj({ Type: 'StructTreeRoot', K: made.tree.map((e) => element(context, e)) });
    if (made.roleMap) root.set(PDFName.of('RoleMap'), context.obj(Object.fromEntries(Object.entries(made.roleMap).map(([k, v]) => [k, PDFName.of(v)]))));
    catalog.set(PDFName.of('StructTreeRoot'), context.register(root));
  }
  finish?.(doc);
  // What the checks read is what a file holds: save and load again.
  return PDFDocument.load(await doc.save(), { updateMetadata: false });
}

const messages = async (made: Made, articles: ArticleSources[] = []) => pdfStructureProblems(await pdf(made), articles).map((p) => p.message);
const art = (...kids: El[]): El => ({ S: 'Art', K: kids });
const at = (line: number) => ({ position: { line, column: 1 } });
const sources = (file: string, s: Partial<ArticleSources['sources']>): ArticleSources => ({ file, sources: { headings: [], images: [], tables: [], ...s } });

describe("the PDF's title and language", () => {
  it('are all there in a PDF made right', async () => {
    expect(await messages({})).toEqual([]);
  });

  it('are each named when missing, or when the title is not the one shown', async () => {
    expect(await messages({ lang: '', title: '', displayTitle: false })).toEqual([
      'the PDF does not say its language (no /Lang in its catalog)',
      'the PDF has no title (no /Title in its document information)',
      'the PDF does not ask viewers to show its title rather than its file name (no /DisplayDocTitle true)',
    ]);
    const shownFalse = await pdf({}, (doc) => doc.catalog.set(PDFName.of('ViewerPreferences'), doc.context.obj({ DisplayDocTitle: false })));
    expect(pdfStructureProblems(shownFalse, []).map((p) => p.message)).toEqual([
      'the PDF does not ask viewers to show its title rather than its file name (no /DisplayDocTitle true)',
    ]);
    const noInfo = await pdf({}, (doc) => doc.context.trailerInfo.Info = undefined);
    expect(pdfStructureProblems(noInfo, []).map((p) => p.message)).toEqual(['the PDF has no title (no /Title in its document information)']);
  });
});

describe('headings', () => {
  it('may go down one level at a time and up any number, one H1 per article', async () => {
    const tree = [art({ S: 'H1' }, { S: 'H2' }, { S: 'H3' }, { S: 'H2' }), art({ S: 'H1' }, { S: 'H2' })];
    expect(await messages({ tree })).toEqual([]);
  });

  it('that skip a level are named at their article line when the articles match', async () => {
    const tree = [{ S: 'Document', K: [art({ S: 'H1' }, { S: 'P' }, { S: 'H3' }), art({ S: 'H1' }, { S: 'H2' }, { S: 'H4' })] }];
    const articles = [
      sources('a.md', { headings: [{ level: 1 }, { level: 3, ...at(7) }] }),
      sources('b.md', { headings: [{ level: 1 }, { level: 2, ...at(3) }, { level: 4, ...at(9) }] }),
    ];
    expect(pdfStructureProblems(await pdf({ tree }), articles)).toEqual([
      { message: 'a heading skips a level: H3 after H1', file: 'a.md', ...at(7) },
      { message: 'a heading skips a level: H4 after H2', file: 'b.md', ...at(9) },
    ]);
  });

  it('are named by the article alone when its headings do not match what it recorded', async () => {
    const tree = [art({ S: 'H1' }, { S: 'H3' })];
    const articles = [sources('a.md', { headings: [{ level: 1 }, { level: 3, ...at(7) }, { level: 2, ...at(9) }] })];
    expect(pdfStructureProblems(await pdf({ tree }), articles)).toEqual([{ message: 'a heading skips a level: H3 after H1', file: 'a.md', position: undefined }]);
  });

  it('are named by the article of the PDF when the articles are not the pack\'s', async () => {
    const tree = [art({ S: 'H2' }), art({ S: 'H1' }, { S: 'H1' })];
    expect(await messages({ tree }, [sources('only.md', {})])).toEqual([
      'a heading skips a level: H2 after no heading, in article 1 of the PDF',
      'article 2 of the PDF has more than one H1 (its title should be the only one)',
      'article 1 of the PDF has no H1 (its title)',
    ]);
  });

  it('outside the articles are said to be so; with no articles at all, nothing is said of where', async () => {
    expect(await messages({ tree: [{ S: 'H3' }, art({ S: 'H1' })] })).toEqual(['a heading skips a level: H3 after no heading, outside the articles']);
    expect(await messages({ tree: [{ S: 'H1' }, { S: 'H3' }] })).toEqual(['a heading skips a level: H3 after H1']);
  });

  it('of the pack\'s own types are read through the role map, however deep, and a loop in it ends', async () => {
    expect(await messages({ tree: [art({ S: 'Title' }, { S: 'Sub' })], roleMap: { Title: 'Heading1', Heading1: 'H1', Sub: 'Heading3', Heading3: 'H3' } })).toEqual([
      'a heading skips a level: H3 after H1, in article 1 of the PDF',
    ]);
    expect(await messages({ tree: [art({ S: 'H1' }, { S: 'Loop' })], roleMap: { Loop: 'Pool', Pool: 'Loop' } })).toEqual([]);
  });

  it('count an article\'s second H1 as a problem, and its first as its title', async () => {
    const tree = [art({ S: 'H1' }, { S: 'H2' }, { S: 'H1' })];
    const articles = [sources('a.md', { headings: [{ level: 1 }, { level: 2, ...at(3) }, { level: 1, ...at(8) }] })];
    expect(pdfStructureProblems(await pdf({ tree }), articles)).toEqual([{ message: 'the article has more than one H1 (its title should be the only one)', file: 'a.md', ...at(8) }]);
  });
});

describe('images', () => {
  it('need alt text or an actual text, not blanks; a figure that groups others is not one', async () => {
    const tree = [
      art(
        { S: 'H1' },
        { S: 'Figure', Alt: 'A map' },
        { S: 'Figure', ActualText: 'Chart' },
        { S: 'Figure', Alt: '  ' },
        { S: 'Figure', K: [{ S: 'Figure' }, { S: 'Caption' }] },
        { S: 'Figure', K: { S: 'Figure', Alt: 'Inside a group' } },
      ),
    ];
    const articles = [sources('a.md', { images: [{ alt: true }, { alt: true }, { alt: false, ...at(5) }, { alt: false, ...at(9) }, { alt: true }] })];
    expect(pdfStructureProblems(await pdf({ tree }), articles)).toEqual([
      { message: 'an image has no alt text (a Figure without /Alt)', file: 'a.md', ...at(5) },
      { message: 'an image has no alt text (a Figure without /Alt)', file: 'a.md', ...at(9) },
    ]);
  });
});

describe('tables', () => {
  const row = (...cells: El[]): El => ({ S: 'TR', K: cells });
  const table = (...parts: El[]): El => ({ S: 'Table', K: parts });

  it('need header cells with a scope, found in their rows or in THead, TBody and TFoot', async () => {
    const tree = [
      art(
        { S: 'H1' },
        table(row({ S: 'TH', A: { O: 'Table', Scope: 'Column' } }, { S: 'TH', A: [{ O: 'Table', Scope: 'Row' }, 0] }), row({ S: 'TD' })),
        table({ S: 'THead', K: row({ S: 'TH', A: { Scope: 'Both' } }) }, { S: 'TBody', K: [row({ S: 'TD' })] }, { S: 'TFoot', K: [row({ S: 'TD' })] }),
      ),
    ];
    expect(await messages({ tree })).toEqual([]);
  });

  it('without a header cell, or with header cells without a scope, are named, counted right', async () => {
    const tree = [
      art(
        { S: 'H1' },
        table(row({ S: 'TD' }), row({ S: 'TD' })),
        table(row({ S: 'TH' }, { S: 'TH', A: { Scope: 'None' } })),
        table({ S: 'THead', K: [row({ S: 'TH' })] }),
        // The header cells of a table inside a cell are that table's, not this one's.
        table(row({ S: 'TD', K: [table(row({ S: 'TH', A: { Scope: 'Column' } }))] })),
        // Cells outside a row, and rows in parts a table does not have, are not its cells.
        table({ S: 'TH', A: { Scope: 'Column' } }, { S: 'Div', K: [row({ S: 'TH', A: { Scope: 'Column' } })] }),
      ),
    ];
    const articles = [
      sources('a.md', {
        tables: [
          { header: false, ...at(3) },
          { header: true, ...at(6) },
          { header: true, ...at(9) },
          { header: false, ...at(12) },
          { header: true, ...at(14) },
          { header: false, ...at(17) },
        ],
      }),
    ];
    expect(pdfStructureProblems(await pdf({ tree }), articles).map((p) => `${p.position?.line} ${p.message}`)).toEqual([
      '3 a table has no header cells (no TH)',
      '6 2 header cells of a table without a /Scope',
      '9 1 header cell of a table without a /Scope',
      '12 a table has no header cells (no TH)',
      '17 a table has no header cells (no TH)',
    ]);
  });
});

describe('bookmarks', () => {
  /** Bookmarks [title, page index, y, children] made as Chromium makes them. */
  type Mark = [string, number, number, Mark[]?];
  function withBookmarks(marks: Mark[], named = false) {
    return (doc: PDFDocument) => {
      const { context } = doc;
      const pages = doc.getPages();
      const dests = context.obj({});
      let n = 0;
      const list = (items: Mark[], parent: PDFRef): PDFRef[] => {
        const refs = items.map(() => context.nextRef());
        items.forEach(([title, page, y, kids], i) => {
          const dest = context.obj([pages[page]!.ref, PDFName.of('XYZ'), 0, y, 0]);
          const item = context.obj({ Title: PDFHexString.fromText(title), Parent: parent });
          if (named) {
            const name = `d${n++}`;
            dests.set(PDFName.of(name), i % 2 ? context.obj({ D: dest }) : dest);
            item.set(PDFName.of('Dest'), PDFName.of(name));
          } else item.set(PDFName.of('Dest'), dest);
          if (i > 0) item.set(PDFName.of('Prev'), refs[i - 1]!);
          if (i < items.length - 1) item.set(PDFName.of('Next'), refs[i + 1]!);
          if (kids?.length) {
            const children = list(kids, refs[i]!);
            item.set(PDFName.of('First'), children[0]!);
            item.set(PDFName.of('Last'), children.at(-1)!);
          }
          context.assign(refs[i]!, item);
        });
        return refs;
      };
      const outlines = context.nextRef();
      const top = list(marks, outlines);
      context.assign(outlines, context.obj({ Type: 'Outlines', First: top[0]!, Last: top.at(-1)!, Count: PDFNumber.of(top.length) }));
      doc.catalog.set(PDFName.of('Outlines'), outlines);
      if (named) doc.catalog.set(PDFName.of('Dests'), context.register(dests));
    };
  }
  const problemsOf = async (marks: Mark[], named = false) => pdfStructureProblems(await pdf({}, withBookmarks(marks, named)), []).map((p) => p.message);

  it('in reading order, children before the next sibling, pass', async () => {
    const marks: Mark[] = [
      ['One', 0, 500, [['One, first', 0, 300], ['One, second', 1, 550]]],
      ['Two', 1, 200.4, [['Two, first', 2, 580]]],
    ];
    expect(await problemsOf(marks)).toEqual([]);
    expect(await problemsOf(marks, true)).toEqual([]);
    // Half a point higher on the same page is the same line.
    expect(await problemsOf([['A', 0, 300], ['B', 0, 300.5]])).toEqual([]);
  });

  it('that go back are named, the earlier page or higher place given', async () => {
    expect(await problemsOf([['One', 1, 500], ['Two', 0, 500]])).toEqual(['bookmark "Two" comes after "One" but goes to a place before it (page 1, not after page 2)']);
    expect(await problemsOf([['One', 1, 300], ['Two', 1, 301]])).toEqual(['bookmark "Two" comes after "One" but goes to a place before it (page 2, not after page 2)']);
    expect(await problemsOf([['One', 2, 500, [['Inside', 1, 500]]]], true)).toEqual(['bookmark "Inside" comes after "One" but goes to a place before it (page 2, not after page 3)']);
    const long = 'A very long heading that runs on and on past sixty characters of text';
    expect(await problemsOf([['Intro', 1, 500], [long, 0, 500]])).toEqual([`bookmark "${long.slice(0, 59)}…" comes after "Intro" but goes to a place before it (page 1, not after page 2)`]);
    const sixty = 'x'.repeat(60);
    expect(await problemsOf([[sixty, 1, 500], ['B', 0, 500]])).toEqual([`bookmark "B" comes after "${sixty}" but goes to a place before it (page 1, not after page 2)`]);
  });
});

describe('a PDF without a structure tree', () => {
  it('has no structure problems of its own (validatePdf says it is untagged)', async () => {
    const doc = await pdf({});
    expect(doc.catalog.get(PDFName.of('StructTreeRoot'))).toBeUndefined();
    expect(pdfStructureProblems(doc, [sources('a.md', {})])).toEqual([]);
  });

  it('ignores a structure root that is not a dictionary', async () => {
    const doc = await pdf({}, (d) => d.catalog.set(PDFName.of('StructTreeRoot'), d.context.obj([1, 2])));
    expect(doc.catalog.lookup(PDFName.of('StructTreeRoot'))).toBeInstanceOf(PDFArray);
    expect(pdfStructureProblems(doc, [])).toEqual([]);
  });
});

/**
 * src/validate/pdf-structure.ts at its edges: role maps longer than the check follows, an <Art>
 * inside another, header cells in every part of a table, bookmarks that point through named
 * destinations, at no page, or nowhere. (validate-pdf-structure.test.ts has the ordinary cases.)
 */
import { PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString, type PDFContext, type PDFDict, type PDFRef } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { pdfStructureProblems } from '../../src/validate/pdf-structure.js';

interface El {
  S: string;
  K?: El[];
  Scope?: string;
}

function element(context: PDFContext, e: El): PDFRef {
  const dict = context.obj({ Type: 'StructElem', S: e.S });
  if (e.K) dict.set(PDFName.of('K'), context.obj(e.K.map((k) => element(context, k))));
  if (e.Scope) dict.set(PDFName.of('A'), context.obj({ O: 'Table', Scope: PDFName.of(e.Scope) }));
  return context.register(dict);
}

/** A three-page PDF, its metadata right, with this structure tree and role map. */
async function pdf(tree: El[], roleMap?: Record<string, string>, finish?: (doc: PDFDocument) => void): Promise<PDFDocument> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (let i = 0; i < 3; i++) doc.addPage([400, 600]);
  const { context, catalog } = doc;
  catalog.set(PDFName.of('Lang'), PDFString.of('en'));
  doc.setTitle('A pack');
  catalog.set(PDFName.of('ViewerPreferences'), context.obj({ DisplayDocTitle: true }));
  const root = context.obj({ Type: 'StructTreeRoot', K: tree.map((e) => element(context, e)) });
  if (roleMap) root.set(PDFName.of('RoleMap'), context.obj(Object.fromEntries(Object.entries(roleMap).map(([k, v]) => [k, PDFName.of(v)]))));
  catalog.set(PDFName.of('StructTreeRoot'), context.register(root));
  finish?.(doc);
  return PDFDocument.load(await doc.save(), { updateMetadata: false });
}

const messages = async (tree: El[], roleMap?: Record<string, string>, finish?: (doc: PDFDocument) => void) =>
  pdfStructureProblems(await pdf(tree, roleMap, finish), []).map((p) => p.message);
const art = (...kids: El[]): El => ({ S: 'Art', K: kids });

describe('the role map', () => {
  it('is followed eight steps and no further', async () => {
    // T0 -> T1 -> ... -> Tn -> H1: n + 1 steps.
    const chain = (n: number) => Object.fromEntries([...Array.from({ length: n }, (_, i) => [`T${i}`, `T${i + 1}`]), [`T${n}`, 'H1']]);
    expect(await messages([art({ S: 'T0' })], chain(7))).toEqual([]);
    expect(await messages([art({ S: 'T0' })], chain(8))).toEqual(['article 1 of the PDF has no H1 (its title)']);
  });
});

describe('an <Art> inside another', () => {
  it('is an article of its own, and after it the outer one goes on', async () => {
    expect(await messages([art({ S: 'H1' }, art({ S: 'H1' }), { S: 'H3' })])).toEqual(['a heading skips a level: H3 after H1, in article 1 of the PDF']);
  });
});

describe('header cells', () => {
  const row = (...cells: El[]): El => ({ S: 'TR', K: cells });
  const table = (...parts: El[]): El => ({ S: 'Table', K: parts });
  const th: El = { S: 'TH', Scope: 'Column' };

  it('count in the body and the foot of a table as in its head', async () => {
    expect(await messages([art({ S: 'H1' }, table({ S: 'TBody', K: [row(th)] }), table({ S: 'TFoot', K: [row(th)] }), table({ S: 'THead', K: [row(th)] }))])).toEqual([]);
  });

  it('count only in rows of those parts, not in other elements there', async () => {
    expect(await messages([art({ S: 'H1' }, table({ S: 'THead', K: [{ S: 'Div', K: [th] }] }))])).toEqual(['a table has no header cells (no TH), in article 1 of the PDF']);
  });
});

describe('bookmarks', () => {
  type Dest = 'array' | 'named' | 'named-dict' | 'none' | 'page-number' | 'not-a-page' | 'not-a-dict';
  /** Top-level bookmarks, each [title, page index, y, how its destination is given]. */
  function withBookmarks(marks: Array<[string, number, number, Dest]>, dests = false) {
    return (doc: PDFDocument) => {
      const { context } = doc;
      const pages = doc.getPages();
      const named = context.obj({}) as PDFDict;
      const refs = marks.map(() => context.nextRef());
      const outlines = context.nextRef();
      marks.forEach(([title, page, y, how], i) => {
        const target =
          how === 'page-number' ? PDFNumber.of(page) : how === 'not-a-page' ? context.register(context.obj({ Type: 'Thing' })) : pages[page]!.ref;
        const dest = context.obj([target, PDFName.of('XYZ'), 0, y, 0]);
        const item = context.obj({ Title: PDFHexString.fromText(title), Parent: outlines });
        if (how === 'named' || how === 'named-dict') {
          named.set(PDFName.of(`d${i}`), how === 'named' ? dest : context.obj({ D: dest }));
          item.set(PDFName.of('Dest'), PDFName.of(`d${i}`));
        } else if (how !== 'none') item.set(PDFName.of('Dest'), dest);
        if (i > 0) item.set(PDFName.of('Prev'), refs[i - 1]!);
        if (i < marks.length - 1) item.set(PDFName.of('Next'), how === 'not-a-dict' ? PDFNumber.of(5) : refs[i + 1]!);
        context.assign(refs[i]!, item);
      });
      context.assign(outlines, context.obj({ Type: 'Outlines', First: refs[0]!, Last: refs.at(-1)!, Count: marks.length }));
      doc.catalog.set(PDFName.of('Outlines'), outlines);
      if (dests || marks.some(([, , , how]) => how.startsWith('named'))) doc.catalog.set(PDFName.of('Dests'), context.register(named));
    };
  }
  const problems = (marks: Array<[string, number, number, Dest]>, dests = false) => messages([], undefined, withBookmarks(marks, dests));
  const back = 'bookmark "Two" comes after "One" but goes to a place before it (page 1, not after page 2)';

  it('that go back are found through named destinations, given as arrays or as dictionaries', async () => {
    expect(await problems([['One', 1, 500, 'named'], ['Two', 0, 500, 'named-dict']])).toEqual([back]);
    expect(await problems([['One', 1, 500, 'named-dict'], ['Two', 0, 500, 'named']])).toEqual([back]);
  });

  it('that go back are found when their destinations are given directly, named ones there or not', async () => {
    expect(await problems([['One', 1, 500, 'array'], ['Two', 0, 500, 'array']], true)).toEqual([back]);
    expect(await problems([['One', 1, 500, 'array'], ['Two', 0, 500, 'array']], false)).toEqual([back]);
  });

  it('without a destination (an action, say) are passed over', async () => {
    expect(await problems([['One', 1, 500, 'array'], ['Actions', 0, 0, 'none'], ['Two', 2, 500, 'array']])).toEqual([]);
  });

  it('to something that is not a page go to no page, before the first', async () => {
    expect(await problems([['One', 1, 500, 'array'], ['Two', 1, 500, 'page-number']])).toEqual(['bookmark "Two" comes after "One" but goes to a place before it (page 0, not after page 2)']);
    expect(await problems([['One', 1, 500, 'array'], ['Two', 1, 500, 'not-a-page']])).toEqual(['bookmark "Two" comes after "One" but goes to a place before it (page 0, not after page 2)']);
  });

  it('end where the next one is not a bookmark', async () => {
    expect(await problems([['One', 1, 500, 'not-a-dict'], ['Two', 0, 500, 'array']])).toEqual([]);
  });
});

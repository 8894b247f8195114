/**
 * src/validate/artifacts.ts and ace-location.ts: the checks `--validate` makes of a PDF's fonts,
 * tags, bookmarks and pages, and where EPUBCheck and Ace are looked for.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.js';
import type { Pack, TocEntry } from '../../src/model.js';
import { BUNDLED_ACE, findAce } from '../../src/validate/ace-location.js';
import { epubcheckJar, validatePdf } from '../../src/validate/artifacts.js';
import { tempDir } from '../helpers/cli.js';

const entry = (id: string, children: TocEntry[] = []): TocEntry => ({ id, title: id, level: children.length ? 1 : 2, children });
/** A pack of `articles` articles, each with `sections` sections in the contents. */
function pack(articles: number, sections: number): Pack {
  const chapters = Array.from({ length: articles }, (_, i) => ({ article: { file: `a${i}.md` }, sources: { headings: [], images: [], tables: [] } }));
  const toc = chapters.map((_, i) => entry(`a${i}`, Array.from({ length: sections }, (__, j) => entry(`a${i}-s${j}`))));
  return { chapters, toc } as unknown as Pack;
}

/** A PDF with `pages` pages, marked as tagged or not, with `bookmarks` bookmarks, its metadata right. */
async function pdf(options: { pages: number; tagged: boolean; bookmarks?: number; marked?: boolean }, finish?: (doc: PDFDocument) => Promise<void>): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (let i = 0; i < options.pages; i++) doc.addPage([400, 600]);
  const { context, catalog } = doc;
  catalog.set(PDFName.of('Lang'), PDFString.of('en'));
  doc.setTitle('T');
  catalog.set(PDFName.of('ViewerPreferences'), context.obj({ DisplayDocTitle: true }));
  if (options.tagged) {
    catalog.set(PDFName.of('MarkInfo'), context.obj({ Marked: options.marked ?? true }));
    catalog.set(PDFName.of('StructTreeRoot'), context.register(context.obj({ Type: 'StructTreeRoot', K: [] })));
  }
  if (options.bookmarks !== undefined) catalog.set(PDFName.of('Outlines'), context.register(context.obj({ Type: 'Outlines', Count: options.bookmarks })));
  await finish?.(doc);
  return doc.save();
}

async function problems(bytes: Uint8Array, p: Pack): Promise<string[]> {
  const diagnostics = new Diagnostics();
  await validatePdf(bytes, 'pack.pdf', p, diagnostics);
  return diagnostics.list.map((d) => `${d.file} ${d.rule} ${d.message}`);
}

describe('the PDF check', () => {
  it('passes a tagged PDF with a bookmark per contents entry and a page per article besides cover and contents', async () => {
    expect(await problems(await pdf({ pages: 4, tagged: true, bookmarks: 6 }), pack(2, 2))).toEqual([]);
  });

  it('counts a bookmark for every article and every section, and wants as many', async () => {
    expect(await problems(await pdf({ pages: 4, tagged: true, bookmarks: 5 }), pack(2, 2))).toEqual(['pack.pdf validate/pdf the PDF has 5 bookmarks; the contents has 6 entries']);
    expect(await problems(await pdf({ pages: 4, tagged: true, bookmarks: 7 }), pack(2, 2))).toEqual(['pack.pdf validate/pdf the PDF has 7 bookmarks; the contents has 6 entries']);
    expect(await problems(await pdf({ pages: 4, tagged: true }), pack(2, 0))).toEqual(['pack.pdf validate/pdf the PDF has 0 bookmarks; the contents has 2 entries']);
    // A template without contents entries wants no bookmarks.
    expect(await problems(await pdf({ pages: 2, tagged: true }), pack(0, 0))).toEqual([]);
  });

  it('wants a cover, a contents page and a page per article', async () => {
    expect(await problems(await pdf({ pages: 4, tagged: true, bookmarks: 3 }), pack(3, 0))).toEqual(['pack.pdf validate/pdf the PDF has 4 pages; a pack of 3 articles needs at least 5']);
    expect(await problems(await pdf({ pages: 5, tagged: true, bookmarks: 3 }), pack(3, 0))).toEqual([]);
  });

  it('finds a PDF untagged without a structure tree, or with MarkInfo not saying Marked', async () => {
    const untagged = 'pack.pdf validate/pdf the PDF is not tagged (no MarkInfo/Marked or StructTreeRoot)';
    expect(await problems(await pdf({ pages: 3, tagged: false, bookmarks: 1 }), pack(1, 0))).toEqual([untagged]);
    expect(await problems(await pdf({ pages: 3, tagged: true, marked: false, bookmarks: 1 }), pack(1, 0))).toEqual([untagged]);
    const noTree = await pdf({ pages: 3, tagged: true, bookmarks: 1 }, async (doc) => {
      doc.catalog.delete(PDFName.of('StructTreeRoot'));
    });
    expect(await problems(noTree, pack(1, 0))).toEqual([untagged]);
  });

  it('names each font not embedded, once, and passes embedded and Type3 fonts', async () => {
    const bytes = await pdf({ pages: 3, tagged: true, bookmarks: 1 }, async (doc) => {
      const page = doc.getPage(0);
      for (const name of [StandardFonts.Helvetica, StandardFonts.Courier, StandardFonts.Helvetica]) page.drawText('x', { font: await doc.embedFont(name) });
      doc.context.register(doc.context.obj({ Type: 'Font', Subtype: 'Type3' }));
      // A composite font is checked through its descendant.
      const descriptor = doc.context.register(doc.context.obj({ Type: 'FontDescriptor' }));
      const descendant = doc.context.register(doc.context.obj({ Type: 'Font', Subtype: 'CIDFontType2', BaseFont: 'Bare-CID', FontDescriptor: descriptor }));
      doc.context.register(doc.context.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: 'Bare', DescendantFonts: [descendant] }));
      // A TrueType font with its program is embedded; one without a name is named by its subtype.
      const file = doc.context.register(doc.context.flateStream('font program'));
      const withProgram = doc.context.register(doc.context.obj({ Type: 'FontDescriptor', FontFile2: file }));
      doc.context.register(doc.context.obj({ Type: 'Font', Subtype: 'TrueType', BaseFont: 'Embedded', FontDescriptor: withProgram }));
      doc.context.register(doc.context.obj({ Type: 'Font', Subtype: 'Type1' }));
    });
    expect(await problems(bytes, pack(1, 0))).toEqual([
      'pack.pdf validate/pdf font Bare-CID is not embedded',
      'pack.pdf validate/pdf font Courier is not embedded',
      'pack.pdf validate/pdf font Helvetica is not embedded',
      'pack.pdf validate/pdf font Type1 is not embedded',
    ]);
  });

  it('says a file that is no PDF is not readable, and checks nothing else', async () => {
    // pdf-lib takes this for an empty PDF (it threw a TypeError, an internal error, here).
    expect(await problems(new TextEncoder().encode('%PDF-1.7 but nothing else'), pack(1, 0))).toEqual(['pack.pdf validate/pdf not a readable PDF: it has no document catalog']);
    expect(await problems(new TextEncoder().encode('not a PDF at all'), pack(1, 0))).toEqual([expect.stringMatching(/^pack\.pdf validate\/pdf not a readable PDF: .+/)]);
  });
});

describe('where the validators are', () => {
  it('EPUBCheck: EPUBCHECK_JAR when it names a file, else where Debian puts it, else nowhere', () => {
    const jar = path.join(tempDir(), 'epubcheck.jar');
    writeFileSync(jar, '');
    expect(epubcheckJar({ EPUBCHECK_JAR: jar })).toBe(jar);
    expect(epubcheckJar({ EPUBCHECK_JAR: '/no/such.jar' })).toBe('/usr/share/java/epubcheck.jar');
    expect(epubcheckJar({})).toBe('/usr/share/java/epubcheck.jar');
  });

  it('Ace: BRIEFPACK_ACE first, run with this Node when it is a script; one that names nothing is a problem', () => {
    const dir = tempDir();
    const script = path.join(dir, 'ace.mjs');
    writeFileSync(script, '');
    expect(findAce({ BRIEFPACK_ACE: script })).toEqual({ found: { command: process.execPath, args: [script], path: script, source: 'BRIEFPACK_ACE' } });
    const binary = path.join(dir, 'ace-binary');
    writeFileSync(binary, '');
    expect(findAce({ BRIEFPACK_ACE: binary })).toEqual({ found: { command: binary, args: [], path: binary, source: 'BRIEFPACK_ACE' } });
    expect(findAce({ BRIEFPACK_ACE: path.join(dir, 'missing.js') })).toEqual({ problem: `BRIEFPACK_ACE names a file that does not exist: ${path.join(dir, 'missing.js')}` });
  });

  it('Ace: then the copy scripts/setup.sh installs', () => {
    // The test set-up installs Ace in tools/ace.
    expect(findAce({ PATH: '' })).toEqual({ found: { command: process.execPath, args: [BUNDLED_ACE], path: BUNDLED_ACE, source: 'tools/ace' } });
    for (const ending of ['.js', '.cjs', '.mjs']) {
      const file = path.join(tempDir(), `ace${ending}`);
      writeFileSync(file, '');
      expect(findAce({ BRIEFPACK_ACE: file }).found?.command).toBe(process.execPath);
    }
    const notScript = path.join(tempDir(), 'ace.jsx');
    writeFileSync(notScript, '');
    expect(findAce({ BRIEFPACK_ACE: notScript }).found?.command).toBe(notScript);
  });

  it('Ace: on the PATH, an executable only, when nothing else is there', () => {
    const search = (env: NodeJS.ProcessEnv) => findAce({ ...env, BRIEFPACK_ACE: '' });
    const empty = tempDir();
    const holder = tempDir();
    mkdirSync(path.join(holder, 'bin'));
    const ace = path.join(holder, 'bin', 'ace');
    writeFileSync(ace, '#!/bin/sh\n');
    const notExecutable = tempDir();
    writeFileSync(path.join(notExecutable, 'ace'), '');
    chmodSync(path.join(notExecutable, 'ace'), 0o644);
    chmodSync(ace, 0o755);
    // With tools/ace installed, that copy comes first; the PATH is looked at only without it.
    const found = search({ PATH: ['', empty, notExecutable, path.dirname(ace)].join(path.delimiter) });
    expect(found.found?.source).toBe('tools/ace');
  });
});

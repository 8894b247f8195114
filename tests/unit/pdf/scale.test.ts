/**
 * The PDF toolkit at the size of a pack of thousands of pages: over 500,000 objects merged from
 * parts, finished with a 10,000-entry outline, written and read back. No call may take a
 * collection spread into its arguments, and no walk may recurse as deep as the document: either
 * overflows the stack long before this size.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PdfFile } from '../../../src/pdf/file.js';
import { mergeFinishing } from '../../../src/pdf/finish.js';
import { PdfMerger } from '../../../src/pdf/merge.js';
import { namedDestinations } from '../../../src/pdf/destinations.js';
import { PdfName, PdfRef, type PdfDict } from '../../../src/pdf/syntax.js';
import { tempDir } from '../../helpers/cli.js';
import { syntheticFolios, syntheticPart, type SyntheticPage } from '../../helpers/synthetic-pdf.js';
import { run } from '../../helpers/tools.js';

const PARTS = 5;
const PAGES_PER_PART = 200;
const IDS_PER_PAGE = 10;
const PARAGRAPHS_PER_PAGE = 490;

describe('the PDF toolkit at scale', () => {
  it('merges, finishes, writes and reads back a PDF of over 500,000 objects with a 10,000-entry outline', () => {
    const ids: string[] = [];
    const parts = Array.from({ length: PARTS }, (_, k) => {
      const pages: SyntheticPage[] = Array.from({ length: PAGES_PER_PART }, (_, p) => {
        const own = Array.from({ length: IDS_PER_PAGE }, (_, i) => `s-${k}-${p}-${i}${i === 0 ? '-livestream' : ''}`);
        for (const id of own) ids.push(id);
        return { ids: own, links: p > 0 ? [`s-${k}-${p - 1}-0-livestream`] : [], paragraphs: PARAGRAPHS_PER_PAGE };
      });
      // Every part one big container, as a document's <main> is, cut where the parts meet.
      return { bytes: syntheticPart({ pages, container: true, fanout: 16 }).bytes, own: new Set(pages.flatMap((p) => p.ids)) };
    });
    // The outline: every id, two levels (an entry and its first child), 10,000 entries.
    const outline = [];
    for (let i = 0; i < ids.length; i += 2) outline.push({ title: `Entry ${i}`, destination: ids[i]!, children: [{ title: `Entry ${i + 1}`, destination: ids[i + 1]!, children: [] }] });
    expect(ids).toHaveLength(10_000);
    const finishing = mergeFinishing({
      info: { title: 'Scale', author: 'a', subject: 's', keywords: '', creator: 'test', date: new Date(0) },
      lang: 'en',
      outline,
      roles: {},
      bleedMm: 0,
    });
    const merger = new PdfMerger(PARTS, { stampFrom: 1, continuing: parts.map((_, k) => k > 0), finishing });
    for (let k = 1; k < PARTS; k++) merger.add(k, { bytes: parts[k]!.bytes, ownDestinations: parts[k]!.own });
    merger.add(0, { bytes: parts[0]!.bytes, ownDestinations: parts[0]!.own });
    const bytes = merger.finish({ bytes: syntheticFolios((PARTS - 1) * PAGES_PER_PART, 32) });

    // Read back: every object, and the outline from its first entry to its last, by links alone.
    const file = new PdfFile(bytes);
    expect(file.compact).toBe(true);
    const numbers = file.objectNumbers();
    expect(numbers.length).toBeGreaterThan(500_000);
    // Plain checks in the loop: an assertion per object would take longer than all the rest.
    let elements = 0;
    const orphans: number[] = [];
    const present = new Set(numbers);
    for (const num of numbers) {
      const value = file.entry(num)!.value;
      if (value instanceof Map && (value.get('Type') as PdfName | undefined)?.value === 'StructElem') {
        elements++;
        if (!present.has((value.get('P') as PdfRef).num)) orphans.push(num);
      }
    }
    expect(orphans).toEqual([]);
    // Per page a section, its headings and paragraphs; a link on all pages but a part's first;
    // the one container the parts share, and the Document.
    expect(elements).toBe(PARTS * PAGES_PER_PART * (IDS_PER_PAGE + PARAGRAPHS_PER_PAGE + 1) + PARTS * (PAGES_PER_PART - 1) + 2);
    expect(file.pageRefs()).toHaveLength(PARTS * PAGES_PER_PART);
    const dests = namedDestinations(file);
    const root = file.dict(file.catalog().get('Outlines'))!;
    expect(root.get('Count')).toBe(10_000);
    const titles: string[] = [];
    const stack: Array<PdfRef | undefined> = [root.get('First') as PdfRef];
    while (stack.length) {
      const ref = stack.pop();
      if (!ref) continue;
      const entry = file.dict(ref) as PdfDict;
      titles.push(Buffer.from((entry.get('Title') as { bytes: string }).bytes, 'latin1').toString('latin1'));
      stack.push(entry.get('Next') as PdfRef | undefined, entry.get('First') as PdfRef | undefined);
    }
    expect(titles).toHaveLength(10_000);
    expect(titles.slice(0, 3)).toEqual(['Entry 0', 'Entry 1', 'Entry 2']);
    expect(dests.size).toBe(10_000);

    // Poppler reads it too: its cross-reference stream, page tree and a page's text. (qpdf --check
    // of every object takes minutes at this size; the merge tests run it on smaller files.)
    const pdf = path.join(tempDir('briefpack-scale-'), 'scale.pdf');
    writeFileSync(pdf, bytes);
    expect(run('pdfinfo', [pdf])).toMatch(new RegExp(`Pages:\\s+${PARTS * PAGES_PER_PART}\\n`));
    expect(run('pdftotext', ['-f', '777', '-l', '777', pdf, '-'])).toContain('s-3-176-0-livestream');
  }, 120_000);
});

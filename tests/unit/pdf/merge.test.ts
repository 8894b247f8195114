/**
 * Merging tagged parts, checked for what `qpdf --check` does not see: every object reachable,
 * no reference dangling, every annotation's and page's structure key on the right parent-tree
 * entry, links to the right pages; and read the same by pdf-lib as by the toolkit.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PdfFile } from '../../../src/pdf/file.js';
import { mergeFinishing } from '../../../src/pdf/finish.js';
import { mergePdfs, PdfMerger, type MergePart } from '../../../src/pdf/merge.js';
import { destinationId, namedDestinations } from '../../../src/pdf/destinations.js';
import { PdfName, PdfRef } from '../../../src/pdf/syntax.js';
import { tempDir } from '../../helpers/cli.js';
import { integrityProblems } from '../../helpers/pdf-integrity.js';
import { pdfLibView, toolkitView } from '../../helpers/pdf-views.js';
import { syntheticFolios, syntheticPart, type SyntheticPage, type SyntheticPart } from '../../helpers/synthetic-pdf.js';
import { pdfOutline, run } from '../../helpers/tools.js';

const TRICKY_IDS = ['livestream', 'mainstream-2', 'endobj', 'obj', 'R', 'a(b)c', 'x)y(', 'café-stream', '日本語', 'stream', '1 0 R'];

interface Spec {
  parts: SyntheticPart[];
}

/** The page (1-based, in the merged file) each id is defined on. */
function idPages(spec: Spec): Map<string, number> {
  const pages = new Map<string, number>();
  let offset = 0;
  for (const part of spec.parts) {
    part.pages.forEach((page, i) => {
      for (const id of page.ids) pages.set(id, offset + i + 1);
    });
    offset += part.pages.length;
  }
  return pages;
}

/** The parts as the merge takes them: each owns the ids its pages define. */
function mergeParts(spec: Spec): MergePart[] {
  let node = 1;
  return spec.parts.map((part) => {
    // Each part's renderer counts nodes from 1: the merge makes table header ids unique.
    const { bytes } = syntheticPart({ ...part, firstNodeId: node });
    node += 0;
    return { bytes, ownDestinations: new Set(part.pages.flatMap((p) => p.ids)) };
  });
}

/** Everything a merged file must be, beyond being readable. */
async function expectSound(bytes: Buffer, spec: Spec, name: string): Promise<string> {
  const file = path.join(tempDir('briefpack-merge-'), `${name}.pdf`);
  writeFileSync(file, bytes);
  expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors');
  expect(integrityProblems(file)).toEqual([]);

  // pdf-lib reads every object as the toolkit does.
  const ours = toolkitView(bytes);
  const theirs = await pdfLibView(bytes);
  expect(theirs.pages).toBe(spec.parts.reduce((n, p) => n + p.pages.length, 0));
  expect([...theirs.view.keys()].sort((a, b) => a - b)).toEqual([...ours.keys()]);
  for (const [num, value] of ours) expect(theirs.view.get(num), `object ${num}`).toEqual(value);

  // Every link goes to the page its id is on, and every page is where it should be.
  const merged = new PdfFile(bytes);
  const dests = namedDestinations(merged);
  const expected = idPages(spec);
  for (const [id, page] of expected) expect(dests.get(id)?.page, `destination ${id}`).toBe(page);
  const pages = merged.pageRefs();
  spec.parts.flatMap((p) => p.pages).forEach((page, i) => {
    const annots = (merged.dict(pages[i])!.get('Annots') as PdfRef[] | undefined) ?? [];
    expect(annots.map((a) => destinationId((merged.dict(a)!.get('Dest') as PdfName).value)), `links on page ${i + 1}`).toEqual(page.links);
    for (const id of page.links) expect(dests.get(id)?.page, `link to ${id}`).toBe(expected.get(id));
  });
  return file;
}

/** A small document: sections with tricky ids on every page, each linking to the next part's ids. */
function trickySpec(parts: number, container: boolean): Spec {
  const ids = TRICKY_IDS;
  const all: SyntheticPage[][] = Array.from({ length: parts }, (_, k) =>
    Array.from({ length: 2 }, (_, p) => ({ ids: [`${ids[(k * 2 + p) % ids.length]}-${k}-${p}`], links: [], paragraphs: 2, headers: p })),
  );
  const flat = all.flat();
  flat.forEach((page, i) => {
    page.links = [flat[(i + 1) % flat.length]!.ids[0]!, flat[(i + flat.length - 1) % flat.length]!.ids[0]!];
  });
  return {
    parts: all.map((pages, k) => ({
      pages,
      container,
      fanout: 2,
      foreign: [...new Set(pages.flatMap((p) => p.links))].filter((id) => !pages.some((p) => p.ids.includes(id))),
      firstNodeId: 1 + k * 0,
    })),
  };
}

describe('merging tagged parts', () => {
  it('keeps links whose ids hold "stream", "endobj", "obj", "R", parentheses or non-ASCII on their own structure elements', async () => {
    const spec = trickySpec(3, false);
    await expectSound(mergePdfs(mergeParts(spec)), spec, 'tricky');
  });

  it('stamps folios without carrying the folio file\'s page tree along', async () => {
    const spec = trickySpec(3, true);
    const parts = mergeParts(spec);
    const merger = new PdfMerger(parts.length, { stampFrom: 1, continuing: [false, true, true] });
    // As the print does it: the parts with folios first, in order, the first part last.
    for (let k = 1; k < parts.length; k++) merger.add(k, parts[k]!);
    merger.add(0, parts[0]!);
    // Four folio pages under a tree of two kids a node: intermediate nodes a copy would orphan.
    const file = await expectSound(merger.finish({ bytes: syntheticFolios(4, 2) }), spec, 'stamped');
    const texts = run('pdftotext', [file, '-']);
    expect(texts.match(/Page \d/g)).toEqual(['Page 1', 'Page 2', 'Page 3', 'Page 4']);
  });

  it('makes one element of a container that the split cut in two, as a document printed whole has it', async () => {
    const spec = trickySpec(3, true);
    const file = await expectSound(mergePdfs(mergeParts(spec), { continuing: [false, true, true] }), spec, 'joined');
    const tree = run('pdfinfo', ['-struct', file]).split('\n');
    expect(tree.filter((line) => /^ {2}\S/.test(line)).map((l) => l.trim())).toEqual(['NonStruct']);
    expect(tree.filter((line) => /^ {4}Sect/.test(line))).toHaveLength(6);
    // Without the hint, each part keeps its own container.
    const apart = path.join(tempDir('briefpack-merge-'), 'apart.pdf');
    writeFileSync(apart, mergePdfs(mergeParts(spec)));
    expect(run('pdfinfo', ['-struct', apart]).split('\n').filter((line) => /^ {2}\S/.test(line))).toHaveLength(3);
  });

  it('finishes while it merges: information, bookmarks to named destinations, roles, bleed', async () => {
    const spec = trickySpec(2, false);
    const ids = [...idPages(spec).keys()];
    const finishing = mergeFinishing({
      info: { title: 'Merged', author: 'A', subject: 'S', keywords: 'k', creator: 'test', date: new Date(Date.UTC(2026, 0, 2)) },
      lang: 'en-GB',
      outline: ids.map((id) => ({ title: `To ${id}`, destination: id, children: [{ title: `Under ${id}`, destination: id, children: [] }] })),
      roles: { Aside: 'Sect' },
      bleedMm: 3,
    });
    const file = await expectSound(mergePdfs(mergeParts(spec), { finishing }), spec, 'finished');
    const outline = pdfOutline(file);
    expect(outline.filter((o) => o.depth === 0).map((o) => o.title)).toEqual(ids.map((id) => `To ${id}`));
    expect(outline.filter((o) => o.depth === 0).map((o) => o.page)).toEqual([...idPages(spec).values()]);
    expect(run('pdfinfo', ['-box', '-f', '1', '-l', '1', file])).toMatch(/TrimBox:\s+8\.50/);
  });

  it('gives a sound file for any parts, ids, page trees and folios', async () => {
    const id = fc.oneof(fc.constantFrom(...TRICKY_IDS), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }));
    const pageShape = fc.record({ ids: fc.uniqueArray(id, { maxLength: 2 }), linkCount: fc.nat(3), paragraphs: fc.nat(3), headers: fc.nat(2) });
    const shape = fc.record({
      parts: fc.array(fc.record({ pages: fc.array(pageShape, { minLength: 1, maxLength: 4 }), container: fc.boolean(), fanout: fc.integer({ min: 2, max: 4 }) }), { minLength: 1, maxLength: 4 }),
      stamped: fc.boolean(),
      folioFanout: fc.integer({ min: 2, max: 5 }),
      seed: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(shape, async (s) => {
        // Ids unique across the document; links to any of them.
        const seen = new Set<string>();
        const pages = s.parts.map((p) => p.pages.map((page) => ({ ...page, ids: page.ids.filter((x) => !seen.has(x) && seen.add(x)) })));
        const everyId = [...seen];
        let pick = s.seed;
        const spec: Spec = {
          parts: s.parts.map((p, k) => {
            const ps: SyntheticPage[] = pages[k]!.map((page) => ({
              ids: page.ids,
              links: everyId.length ? Array.from({ length: page.linkCount }, () => everyId[(pick = (pick * 31 + 7) % 1_000_003) % everyId.length]!) : [],
              paragraphs: page.paragraphs,
              headers: page.headers,
            }));
            const own = new Set(ps.flatMap((x) => x.ids));
            return { pages: ps, container: p.container, fanout: p.fanout, foreign: [...new Set(ps.flatMap((x) => x.links))].filter((x) => !own.has(x)) };
          }),
        };
        const parts = mergeParts(spec);
        const continuing = spec.parts.map((p, k) => k > 0 && p.container === true && spec.parts[k - 1]!.container === true);
        let bytes: Buffer;
        if (s.stamped && parts.length > 1) {
          const merger = new PdfMerger(parts.length, { stampFrom: 1, continuing });
          for (let k = 1; k < parts.length; k++) merger.add(k, parts[k]!);
          merger.add(0, parts[0]!);
          const folioPages = spec.parts.slice(1).reduce((n, p) => n + p.pages.length, 0);
          bytes = merger.finish({ bytes: syntheticFolios(folioPages, s.folioFanout) });
        } else bytes = mergePdfs(parts, { continuing });
        await expectSound(bytes, spec, 'random');
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

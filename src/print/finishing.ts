/**
 * What a pack asks of its finished PDF (pdf/finish.ts does it): the pack's metadata, bookmarks
 * that mirror the contents (articles, then their sections), a role for sidebars, and bleed.
 */
import type { Pack, TocEntry } from '../model.js';
import type { Finishing, OutlineEntry } from '../pdf/finish.js';

export interface PrintFinishingOptions {
  creator: string;
  date: Date;
  bleedMm: number;
}

export function finishingOf(pack: Pack, options: PrintFinishingOptions): Finishing {
  const { manifest } = pack;
  const keywords = manifest.keywords ?? [...new Set(pack.chapters.flatMap((c) => c.article.meta.tags))];
  return {
    info: {
      title: manifest.subtitle ? `${manifest.title}: ${manifest.subtitle}` : manifest.title,
      author: (manifest.author ?? [manifest.organisation]).join(', '),
      subject: manifest.description ?? manifest.subtitle ?? manifest.title,
      keywords: keywords.join(' '),
      creator: options.creator,
      date: options.date,
    },
    lang: manifest.language,
    outline: pack.toc.map(outlineEntry),
    // Chromium tags sidebars <Aside>, a PDF 2.0 structure type, in a PDF 1.x file: readers of
    // PDF 1.x (poppler, older Acrobat, PDF/UA-1 checkers) do not know it and drop the whole
    // sidebar from the tree. A role map names the PDF 1.7 type they should read it as.
    roles: { Aside: 'Sect' },
    bleedMm: options.bleedMm,
  };
}

/** The contents is two levels deep (articles, sections): recursion as deep as the headings, not the pack. */
function outlineEntry(entry: TocEntry): OutlineEntry {
  return { title: entry.title, destination: entry.id, children: entry.children.map(outlineEntry) };
}

/**
 * Pack → EPUB 3. epub-gen-memory renders our own OPF, nav, NCX and chapter templates (its
 * defaults stamp random ids and the clock, flatten the nav and drop attributes); we then re-pack
 * its files with the images, cover and fonts into a deterministic ZIP.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EPub } from 'epub-gen-memory';
import type { ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { toXast } from 'hast-util-to-xast';
import { toXml } from 'xast-util-to-xml';
import { contentKey, type BuildCache } from '../cache.js';
import type { Chapter, Pack, TocEntry } from '../model.js';
import { BUILTIN_TEMPLATES, type Template } from '../compose/template.js';
import { slugify } from '../compose/slug.js';
import { resolveCssVariables } from './css-variables.js';
import { epubChapterTree, linksBetweenChapters } from './chapter-tree.js';
import { facesFor, fontFaceCss } from '../fonts.js';
import { writeEpubZip, type ZipEntry } from './zip.js';
import { mapYielding } from '../yielding.js';

export interface EpubOptions {
  date: Date;
  generator: string;
  /** JPEG bytes of the cover (rendered by the caller with Chromium). */
  cover: Uint8Array;
  /** Chapters' content documents of earlier builds. */
  cache?: BuildCache;
}

interface ManifestItem {
  id: string;
  href: string;
  mediaType: string;
  properties?: string;
}


const EPUB_TEMPLATES = path.join(BUILTIN_TEMPLATES, 'epub');
const readTemplate = (name: string) => readFileSync(path.join(EPUB_TEMPLATES, name), 'utf8');

/** Exposes the package files epub-gen-memory rendered, so that we can re-pack them. */
class TemplatedEpub extends EPub {
  async files(): Promise<ZipEntry[]> {
    await this.render();
    const entries: ZipEntry[] = [];
    for (const [name, file] of Object.entries(this.zip.files)) {
      if (file.dir) continue;
      entries.push({ name, data: await file.async('uint8array') });
    }
    return entries;
  }
}

/** A UUID (v5 layout) from the pack's identity: the same pack gets the same identifier on every build. */
export function packIdentifier(pack: Pack): string {
  const m = pack.manifest;
  const digest = createHash('sha1').update(['briefpack', m.organisation, m.title, m.edition ?? '', m.date].join('\n')).digest();
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** XHTML (well-formed XML, boolean attributes with values) via xast rather than the HTML printer. */
function xhtml(nodes: ElementContent[] | Root): string {
  const tree: Root = Array.isArray(nodes) ? { type: 'root', children: nodes } : nodes;
  // XML forbids "]]>" in text; the serializer escapes only < and &. We never write CDATA, so
  // every "]]>" in the output is text (or harmless in an attribute) and may be escaped.
  return toXml(toXast(tree)).replaceAll(']]>', ']]&gt;');
}

/** The content document of each chapter, by the chapter's place in the pack (its name in OEBPS/). */
export function epubChapterFiles(chapters: readonly Chapter[]): string[] {
  const used = new Set<string>();
  return chapters.map((chapter) => {
    let name = slugify(chapter.article.slug) || 'article';
    while (used.has(name)) name = `${name}-x`;
    used.add(name);
    return `${name}.xhtml`;
  });
}

export async function renderEpub(pack: Pack, template: Template, options: EpubOptions): Promise<Uint8Array> {
  const { manifest } = pack;
  const chapterFiles = epubChapterFiles(pack.chapters);

  // Images: named by content hash, so names are stable and identical files are stored once.
  const images = new Map<string, { href: string; data: Buffer; mediaType: string }>();
  for (const chapter of pack.chapters) {
    for (const file of chapter.images) {
      if (images.has(file)) continue;
      const image = pack.images.get(file);
      images.set(file, { href: `images/${createHash('sha256').update(image.data).digest('hex').slice(0, 16)}${image.extension}`, data: image.data, mediaType: image.mediaType });
    }
  }

  const hrefOf = (src: string) => images.get(src)?.href ?? src;
  const elsewhere = linksBetweenChapters(pack.chapters, chapterFiles);
  const bodies = await mapYielding(pack.chapters, (chapter, i) => chapterBody(chapter, hrefOf, elsewhere[i]!, options.cache));
  const fontFaces = facesFor(pack.chapters.map((c) => c.chars).join('') + manifest.title + (manifest.subtitle ?? ''), pack.chapters.map((c) => c.codeChars).join(''));
  const css = resolveCssVariables(
    [fontFaceCss(fontFaces, (f) => `fonts/${f.name}`), template.css('base'), template.css('epub')].join('\n'),
  );

  const href = (entry: TocEntry, file: string) => (entry.level === 1 ? file : `${file}#${entry.id}`);
  const nav = pack.chapters.map((chapter, i) => ({
    title: chapter.toc.title,
    href: href(chapter.toc, chapterFiles[i]!),
    children: chapter.toc.children.map((s) => ({ title: s.title, href: href(s, chapterFiles[i]!) })),
  }));
  const navBody = xhtml([
    h('nav#toc', { 'epub:type': 'toc', role: 'doc-toc' }, [
      h('h1', 'Contents'),
      h(
        'ol',
        nav.map((a) => h('li', [h('a', { href: a.href }, a.title), ...(a.children.length ? [h('ol', a.children.map((s) => h('li', h('a', { href: s.href }, s.title))))] : [])])),
      ),
    ]),
    h('nav#landmarks', { 'epub:type': 'landmarks', hidden: true }, [
      h('h2', 'Landmarks'),
      h('ol', [
        h('li', h('a', { 'epub:type': 'cover', href: 'cover.xhtml' }, 'Cover')),
        h('li', h('a', { 'epub:type': 'toc', href: 'toc.xhtml#toc' }, 'Contents')),
        h('li', h('a', { 'epub:type': 'bodymatter', href: chapterFiles[0] }, 'Start of content')),
      ]),
    ]),
  ]);

  const items: ManifestItem[] = [
    { id: 'ncx', href: 'toc.ncx', mediaType: 'application/x-dtbncx+xml' },
    { id: 'nav', href: 'toc.xhtml', mediaType: 'application/xhtml+xml', properties: 'nav' },
    { id: 'css', href: 'style.css', mediaType: 'text/css' },
    { id: 'cover-image', href: 'cover.jpg', mediaType: 'image/jpeg', properties: 'cover-image' },
    { id: 'cover', href: 'cover.xhtml', mediaType: 'application/xhtml+xml' },
    ...chapterFiles.map((file, i) => ({ id: `chapter-${i + 1}`, href: file, mediaType: 'application/xhtml+xml' })),
    ...[...images.values()].map((img, i) => ({ id: `image-${i + 1}`, href: img.href, mediaType: img.mediaType })),
    ...fontFaces.map((f, i) => ({ id: `font-${i + 1}`, href: `fonts/${f.name}`, mediaType: 'font/woff2' })),
  ];
  const spine = [{ idref: 'cover' }, { idref: 'nav' }, ...chapterFiles.map((_, i) => ({ idref: `chapter-${i + 1}` }))];
  const languages = [...new Set(pack.chapters.map((c) => c.article.lang))].filter((l) => l !== manifest.language).sort();
  const bp = {
    identifier: packIdentifier(pack),
    title: manifest.title,
    subtitle: manifest.subtitle,
    creators: manifest.author ?? [manifest.organisation],
    publisher: manifest.organisation,
    language: manifest.language,
    otherLanguages: languages,
    date: manifest.date,
    modified: options.date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    description: manifest.description ?? manifest.subtitle,
    subjects: manifest.keywords ?? [...new Set(pack.chapters.flatMap((c) => c.article.meta.tags))],
    rights: manifest.classification,
    generator: options.generator,
    items,
    spine,
    nav,
    navBody,
    accessibility: accessibilityMetadata(pack),
  };

  const coverBody = xhtml([
    h('section.cover-page', { 'epub:type': 'cover' }, [h('img', { src: 'cover.jpg', alt: coverAlt(pack) })]),
  ]);
  const chapters = [
    { title: 'Cover', content: '', filename: 'cover.xhtml', excludeFromToc: true, beforeToc: true, bp: { lang: manifest.language, title: 'Cover', body: coverBody, bodyType: undefined } },
    ...pack.chapters.map((chapter, i) => ({
      title: chapter.toc.title,
      content: '',
      filename: chapterFiles[i]!,
      bp: { lang: chapter.article.lang, title: chapter.toc.title, body: bodies[i]!, bodyType: 'bodymatter' },
    })),
  ];
  const epub = new TemplatedEpub(
    {
      title: manifest.title,
      lang: manifest.language,
      css,
      fonts: fontFaces.map((f) => ({ filename: f.name, url: `file://${f.file}` })),
      contentOPF: readTemplate('content.opf.ejs'),
      tocXHTML: readTemplate('nav.xhtml.ejs'),
      tocNCX: readTemplate('toc.ncx.ejs'),
      chapterXHTML: readTemplate('chapter.xhtml.ejs'),
      prependChapterTitles: false,
      verbose: false,
      ...({ bp } as object),
    },
    chapters,
  );
  const files = (await epub.files()).filter((f) => !f.name.startsWith('META-INF/com.apple'));
  files.push({ name: 'OEBPS/cover.jpg', data: options.cover });
  for (const img of images.values()) files.push({ name: `OEBPS/${img.href}`, data: img.data });
  return writeEpubZip(files, options.date);
}

/** A chapter's XHTML body: made from its tree, or kept from an earlier build of the same chapter. */
function chapterBody(chapter: Chapter, hrefOf: (src: string) => string, elsewhere: ReadonlyMap<string, string>, cache: BuildCache | undefined): string {
  const make = () => xhtml(epubChapterTree(chapter.tree, hrefOf, elsewhere));
  return cache ? cache.text(`epub-chapter-${contentKey(chapter.key, ...chapter.images.map(hrefOf), JSON.stringify([...elsewhere]))}.xhtml`, make) : make();
}

function coverAlt(pack: Pack): string {
  const m = pack.manifest;
  return [`Cover: ${m.title}`, m.subtitle, m.organisation, m.classification].filter(Boolean).join('. ');
}

/**
 * EPUB Accessibility 1.1 metadata (schema.org's vocabulary), true to what the pack contains: a
 * feature is claimed only if every part of the book has it, and the summary says what is missing.
 */
export function accessibilityMetadata(pack: Pack) {
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const sections = pack.toc.reduce((n, e) => n + e.children.length, 0);
  const images = pack.chapters.flatMap((c) => c.sources.images);
  const undescribed = images.filter((i) => !i.alt).length;
  const tables = pack.chapters.flatMap((c) => c.sources.tables);
  const headless = tables.filter((t) => !t.header).length;
  // The cover is an image too, and always has a text alternative.
  const features = ['tableOfContents', 'readingOrder', 'structuralNavigation', 'displayTransformability'];
  if (undescribed === 0) features.push('alternativeText');
  const parts = [
    `A reflowable briefing pack of ${count(pack.chapters.length, 'article')} and ${count(sections, 'section')}, ` +
      'with a navigable table of contents, headings in reading order, sidebars marked as asides, and footnotes as pop-up notes',
    images.length === 0
      ? 'the only image is the cover, which has a text alternative'
      : undescribed === 0
        ? 'every image has a text alternative'
        : `${count(undescribed, 'image')} of ${images.length} in the articles ${undescribed === 1 ? 'has' : 'have'} no text alternative`,
  ];
  if (tables.length > 0) {
    parts.push(headless === 0 ? 'every table has header cells' : `${count(headless, 'table')} of ${tables.length} ${headless === 1 ? 'has' : 'have'} no header cells`);
  }
  return {
    accessModes: ['textual', 'visual'],
    // Without alt text, the visual mode is needed for what those images show.
    sufficient: undescribed === 0 ? ['textual'] : ['textual,visual'],
    features: features.sort(),
    hazards: ['none'],
    summary: `${parts.join('; ')}.`,
  };
}


/**
 * Article → Chapter: the unified pipeline (remark → rehype) plus the chapter's own furniture
 * (header, bottom line, credits). The result is one hast tree that every renderer reads.
 */
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import { toString } from 'hast-util-to-string';
import type { Root as MdastRoot } from 'mdast';
import rehypeSanitize from 'rehype-sanitize';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { contentKey, type BuildCache } from '../cache.js';
import { SKIP, walkElements, walkNodes } from '../tree-walk.js';
import { codeStamp } from '../code-stamp.js';
import { Diagnostics, type Diagnostic } from '../diagnostics.js';
import type { Article, Chapter, ElementSources, Manifest, Sidebar, TocEntry } from '../model.js';
import { formatDate } from '../compose/dates.js';
import { isRightToLeft, rehypeDirection } from './direction.js';
import { rehypeEndnotes } from './endnotes.js';
import { rehypeAnchors } from './anchors.js';
import { elementSources } from './element-sources.js';
import { rehypeHeadingLevels } from './heading-levels.js';
import { rehypeContentModel } from './content-model.js';
import { rehypeCodeLines } from './code-lines.js';
import { rehypeHighlight } from './highlight.js';
import { sourcePositions } from './source-positions.js';
import { rehypeUrlBreaks } from './url-breaks.js';
import { rehypeImages } from './images.js';
import type { ImageStore } from '../images/store.js';
import { linkTargetOf, rehypeLinks, type CrossLink, type LinkTarget } from './links.js';
import { findChapterIds, type ChapterIds } from './chapter-ids.js';
import { rehypePlaceSidebars } from './place-sidebars.js';
import { rehypeRawWhenPresent } from './raw-html.js';
import { rehypeReportUnsafeHtml } from './report-unsafe-html.js';
import { sanitizeSchema } from './sanitize-schema.js';
import { rehypeTableHeaders } from './table-headers.js';
import { rehypeTaskLabels } from './task-labels.js';
import { remarkSidebarPlaceholders } from './sidebar-placeholders.js';

export interface TransformContext {
  manifest: Manifest;
  sidebars: ReadonlyMap<string, Sidebar>;
  /** Shared across the pack so that a sidebar placed twice gets distinct ids. */
  sidebarInstances: Map<string, number>;
  /** The pack's articles: absolute path of the file and slug, for links between them. */
  articlePaths: ReadonlyMap<string, string>;
  articleSlugs: ReadonlySet<string>;
  /** The build's images: each read and checked once, for every writer. */
  images: ImageStore;
  diagnostics: Diagnostics;
  /** Chapters of earlier builds, so that a rebuild transforms only what changed. */
  cache?: BuildCache;
  /** Told when a chapter comes from the cache. */
  onReuse?: () => void;
}

/**
 * A transformed chapter as the build cache keeps it. Its tree is an entry of its own, read only
 * if something needs it: a rebuild takes each chapter's documents from the cache too, and
 * parsing 200 trees (6.7 MB of JSON) was most of what reading a large pack's cache cost.
 */
interface ChapterRecord {
  toc: TocEntry;
  images: string[];
  ids: ChapterIds;
  chars: string;
  codeChars: string;
  positions: number[];
  anchors: Record<string, string>;
  crossLinks: CrossLink[];
  sources: ElementSources;
  /** What each of its images held (SHA-256 of the file), in the order of `images`. */
  imageDigests: string[];
  /** What each path a relative link names was then (an article, a file, nothing...). */
  linked: Record<string, LinkTarget>;
  /** How many times the chapter placed each sidebar: the pack-wide counts move on by as much. */
  placed: Record<string, number>;
  /** What the transform reported. */
  diagnostics: Diagnostic[];
}

/**
 * The chapter from the cache when nothing it was made from has changed: the article (its key),
 * the sidebars it places and how often each was placed before it (their ids count up across
 * the pack), the pack's folder and language, what its images hold and what its links name.
 */
export function transformArticle(article: Article, context: TransformContext): Chapter {
  const placed = article.placements.map((p) => p.id);
  const key = contentKey(
    codeStamp(),
    'chapter',
    article.key,
    context.manifest.root,
    context.manifest.language,
    JSON.stringify(placed.map((id) => [id, context.sidebars.get(id) ?? null, context.sidebarInstances.get(id) ?? 0])),
  );
  const name = `chapter-${key}.json`;
  const treeName = `chapter-tree-${key}.json`;
  const { cache } = context;
  const cached = cache?.readJson<ChapterRecord>(name);
  const targetOf = (absolute: string) => linkTargetOf(absolute, context.manifest.root, context.articlePaths);
  if (
    cache &&
    cached &&
    cache.keep(treeName) &&
    sameImages(cached, context) &&
    Object.entries(cached.linked).every(([file, target]) => targetOf(file) === target)
  ) {
    for (const [id, n] of Object.entries(cached.placed)) context.sidebarInstances.set(id, (context.sidebarInstances.get(id) ?? 0) + n);
    context.diagnostics.addAll(cached.diagnostics);
    context.onReuse?.();
    let tree: Root | undefined;
    return {
      article,
      key,
      toc: cached.toc,
      images: cached.images,
      ids: cached.ids,
      chars: cached.chars,
      codeChars: cached.codeChars,
      positions: cached.positions,
      anchors: cached.anchors,
      crossLinks: cached.crossLinks,
      sources: cached.sources,
      get tree() {
        tree ??= cache.readJson<Root>(treeName);
        if (!tree) throw new Error(`the build cache lost ${treeName} during the build; build again, or with --no-cache`);
        return tree;
      },
    };
  }
  const linked: ChapterRecord['linked'] = {};
  const before = new Map(context.sidebarInstances);
  const reported = new Diagnostics();
  const chapter = transformFresh(article, key, { ...context, diagnostics: reported }, (absolute) => (linked[absolute] = targetOf(absolute)));
  context.diagnostics.addAll(reported.list);
  const counts = [...context.sidebarInstances].filter(([id, n]) => n !== (before.get(id) ?? 0));
  const record: ChapterRecord = {
    toc: chapter.toc,
    images: chapter.images,
    ids: chapter.ids,
    chars: chapter.chars,
    codeChars: chapter.codeChars,
    positions: chapter.positions,
    anchors: chapter.anchors,
    crossLinks: chapter.crossLinks,
    sources: chapter.sources,
    imageDigests: chapter.images.map((file) => context.images.get(file).sha256),
    linked,
    placed: Object.fromEntries(counts.map(([id, n]) => [id, n - (before.get(id) ?? 0)])),
    diagnostics: reported.list,
  };
  context.cache?.write(name, JSON.stringify(record));
  context.cache?.write(treeName, JSON.stringify(chapter.tree));
  return chapter;
}

/** Whether a cached chapter's images still hold what they held (each loaded into the store now, for the writers). */
function sameImages(record: ChapterRecord, context: TransformContext): boolean {
  return record.images.every((file, i) => {
    const image = context.images.load(path.join(context.manifest.root, file));
    return 'sha256' in image && image.sha256 === record.imageDigests[i];
  });
}

/** `targetOf` answers what a link's path names, recorded by the caller for the cache. */
function transformFresh(article: Article, key: string, context: TransformContext, targetOf: (absolute: string) => LinkTarget): Chapter {
  const sections: TocEntry[] = [];
  const images: string[] = [];
  const anchors = new Map<string, string>();
  const crossLinks: CrossLink[] = [];
  const placed = new Map<Element, Sidebar>();
  const articleDir = path.dirname(article.path);
  const processor = unified()
    .use(remarkSidebarPlaceholders)
    .use(remarkRehype, {
      allowDangerousHtml: true,
      // Every id is given its article's prefix by rehypeAnchors, footnotes' too.
      clobberPrefix: '',
      footnoteLabel: 'Notes',
      footnoteBackLabel: (referenceIndex: number) => `Back to reference ${referenceIndex + 1}`,
      // The default ↩ is in none of the shipped fonts; ↑ is.
      footnoteBackContent: '↑',
    })
    .use(rehypeRawWhenPresent)
    .use(rehypeReportUnsafeHtml, { file: article.file, diagnostics: context.diagnostics })
    .use(rehypeSanitize, sanitizeSchema)
    .use(rehypeContentModel, { file: article.file, diagnostics: context.diagnostics })
    // After sanitizing: the classes these add are ours, not the author's.
    .use(rehypeHighlight)
    .use(rehypeCodeLines)
    .use(rehypeUrlBreaks)
    .use(rehypeImages, {
      packRoot: context.manifest.root,
      articleDir,
      file: article.file,
      diagnostics: context.diagnostics,
      images,
      store: context.images,
    })
    .use(rehypeDirection)
    .use(rehypeHeadingLevels, { file: article.file, diagnostics: context.diagnostics })
    .use(rehypeTableHeaders, { file: article.file, diagnostics: context.diagnostics })
    .use(rehypeTaskLabels)
    .use(rehypeAnchors, { prefix: article.slug, sections, anchors, file: article.file, diagnostics: context.diagnostics })
    .use(rehypeLinks, {
      slug: article.slug,
      file: article.file,
      articleDir,
      packRoot: context.manifest.root,
      anchors,
      slugs: context.articleSlugs,
      targetOf,
      crossLinks,
      diagnostics: context.diagnostics,
    })
    .use(rehypeEndnotes)
    .use(rehypePlaceSidebars, { placements: article.placements, sidebars: context.sidebars, instances: context.sidebarInstances, placed });
  const body = processor.runSync(article.body() as MdastRoot) as Root;

  const toc: TocEntry = { id: article.slug, title: article.meta.title, level: 1, children: sections };
  const tree: Root = { type: 'root', children: [chapterElement(article, body, context.manifest)] };
  const positions = sourcePositions(tree);
  const sources = elementSources(tree, placed);
  withoutPositions(tree);
  return {
    article,
    key,
    tree,
    toc,
    images,
    ids: findChapterIds(tree),
    chars: [...new Set(toString(tree))].join(''),
    codeChars: codeCharacters(tree),
    positions,
    anchors: namesBeyondTheUsual(anchors, article.slug),
    crossLinks,
    sources,
  };
}

/** Every character of the chapter's code (`code`, `pre`, `kbd`, `samp`) once: what decides whether an EPUB or web page carries the monospace face. */
function codeCharacters(tree: Root): string {
  const chars = new Set<string>();
  walkElements(tree, (node) => {
    if (!CODE.has(node.tagName)) return undefined;
    for (const ch of toString(node)) chars.add(ch);
    return SKIP;
  });
  return [...chars].join('');
}

const CODE = new Set(['code', 'pre', 'kbd', 'samp']);

/** The names of ids that `<slug>--<name>` does not already give: what another article's link may need. */
function namesBeyondTheUsual(anchors: ReadonlyMap<string, string>, slug: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, id] of anchors) if (name !== id && `${slug}--${name}` !== id) out[name] = id;
  return out;
}

/**
 * Positions served the diagnostics, which are made by now; without them a chapter from the cache
 * is the same tree as a fresh one, and the pack's trees take less memory.
 */
function withoutPositions(tree: Root): void {
  delete tree.position;
  walkNodes(tree, (node) => {
    delete node.position;
  });
}

function chapterElement(article: Article, body: Root, manifest: Manifest): Element {
  const { meta } = article;
  const metaLine: ElementContent[] = [];
  if (meta.date) metaLine.push(h('time', { dateTime: meta.date }, formatDate(meta.date, article.lang)));
  if (meta.author) metaLine.push(h('span.author', meta.author));
  if (meta.source) metaLine.push(h('span.source', ['Source: ', meta.source.url ? h('a', { href: meta.source.url }, meta.source.name) : meta.source.name]));

  const credits: ElementContent[] = [];
  if (meta.photo_credit) credits.push(h('span.photo-credit', `Photo: ${meta.photo_credit}`));

  return h(
    'article.chapter',
    {
      id: `article-${article.slug}`,
      lang: article.lang !== manifest.language ? article.lang : undefined,
      dir: isRightToLeft(article.lang) !== isRightToLeft(manifest.language) ? (isRightToLeft(article.lang) ? 'rtl' : 'ltr') : undefined,
      dataArticle: article.slug,
    },
    [
      h('header.chapter-header', [
        ...(meta.tags.length ? [h('p.kicker', meta.tags.join(' · '))] : []),
        h('h1.chapter-title', { id: article.slug }, meta.title),
        ...(meta.standfirst ? [h('p.standfirst', meta.standfirst)] : []),
        ...(metaLine.length ? [h('p.chapter-meta', joinWith(metaLine, ' · '))] : []),
      ]),
      ...(meta.bottom_line
        ? [
            h('aside.bottom-line', { ariaLabelledBy: `${article.slug}-bottom-line` }, [
              h('p.sidebar-title', { id: `${article.slug}-bottom-line` }, 'Bottom line'),
              h('ul', meta.bottom_line.map((point) => h('li', point))),
            ]),
          ]
        : []),
      h('div.chapter-body', body.children as ElementContent[]),
      ...(credits.length ? [h('footer.chapter-credits', joinWith(credits, ' · '))] : []),
    ],
  );
}

function joinWith(parts: ElementContent[], separator: string): ElementContent[] {
  return parts.flatMap((part, i) => (i === 0 ? [part] : [{ type: 'text' as const, value: separator }, part]));
}

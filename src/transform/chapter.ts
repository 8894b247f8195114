/**
 * Article → Chapter: the unified pipeline (remark → rehype) plus the chapter's own furniture
 * (header, bottom line, credits). The result is one hast tree that every renderer reads.
 */
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import type { Root as MdastRoot } from 'mdast';
import rehypeSanitize from 'rehype-sanitize';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { Diagnostics } from '../diagnostics.js';
import type { Article, Chapter, Manifest, Sidebar, TocEntry } from '../model.js';
import { formatDate } from '../compose/dates.js';
import { isRightToLeft, rehypeDirection } from './direction.js';
import { rehypeEndnotes } from './endnotes.js';
import { rehypeHeadingIds } from './heading-ids.js';
import { rehypeImages } from './images.js';
import { rehypePlaceSidebars } from './place-sidebars.js';
import { rehypeRawWhenPresent } from './raw-html.js';
import { rehypeReportUnsafeHtml } from './report-unsafe-html.js';
import { sanitizeSchema } from './sanitize-schema.js';
import { remarkSidebarPlaceholders } from './sidebar-placeholders.js';

export interface TransformContext {
  manifest: Manifest;
  sidebars: ReadonlyMap<string, Sidebar>;
  /** Shared across the pack so that a sidebar placed twice gets distinct ids. */
  sidebarInstances: Map<string, number>;
  diagnostics: Diagnostics;
}

export function transformArticle(article: Article, context: TransformContext): Chapter {
  const sections: TocEntry[] = [];
  const images: string[] = [];
  const processor = unified()
    .use(remarkSidebarPlaceholders)
    .use(remarkRehype, {
      allowDangerousHtml: true,
      clobberPrefix: `${article.slug}-`,
      footnoteLabel: 'Notes',
      footnoteBackLabel: (referenceIndex: number) => `Back to reference ${referenceIndex + 1}`,
      // The default ↩ is in none of the shipped fonts; ↑ is.
      footnoteBackContent: '↑',
    })
    .use(rehypeRawWhenPresent)
    .use(rehypeReportUnsafeHtml, { file: article.file, diagnostics: context.diagnostics })
    .use(rehypeSanitize, sanitizeSchema)
    .use(rehypeImages, {
      packRoot: context.manifest.root,
      articleDir: path.dirname(article.path),
      file: article.file,
      diagnostics: context.diagnostics,
      images,
    })
    .use(rehypeDirection)
    .use(rehypeHeadingIds, { prefix: article.slug, sections })
    .use(rehypeEndnotes)
    .use(rehypePlaceSidebars, { placements: article.placements, sidebars: context.sidebars, instances: context.sidebarInstances });
  const body = processor.runSync(structuredClone(article.mdast) as MdastRoot) as Root;

  const toc: TocEntry = { id: article.slug, title: article.meta.title, level: 1, children: sections };
  const tree: Root = { type: 'root', children: [chapterElement(article, body, context.manifest)] };
  return { article, tree, toc, images };
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

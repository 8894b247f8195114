/** Articles + sidebars → Pack: chapters in manifest order and the one contents tree every medium uses. */
import type { BuildCache } from '../cache.js';
import type { Deadline } from '../deadline.js';
import type { Diagnostics } from '../diagnostics.js';
import type { Article, Chapter, Manifest, Pack, Sidebar } from '../model.js';
import type { ImageStore } from '../images/store.js';
import { transformArticle } from '../transform/chapter.js';
import { articlePath, articleSlug } from '../load/article.js';
import { resolveCrossLinks } from './cross-links.js';

/**
 * `articles` may still be arriving (each parsed and checked just before it is transformed);
 * `count` is how many are expected, for progress.
 */
export async function composePack(
  manifest: Manifest,
  articles: Iterable<Article> | AsyncIterable<Article>,
  count: number,
  sidebars: ReadonlyMap<string, Sidebar>,
  images: ImageStore,
  diagnostics: Diagnostics,
  progress: (message: string) => void = () => undefined,
  cache?: BuildCache,
  /** Told of each chapter as it is made, with those made before it. */
  onChapter?: (chapters: readonly Chapter[], index: number) => void,
  /** `--timeout`: each article's transform is stopped where it is when the build's time is up. */
  deadline?: Deadline,
  /** The pack's articles (absolute paths) that the edition leaves out: links to them are printed as text. */
  withheldArticles: ReadonlySet<string> = new Set(),
): Promise<Pack> {
  const sidebarInstances = new Map<string, number>();
  const articlePaths = new Map(manifest.articles.map((entry) => [articlePath(manifest.root, entry), articleSlug(articlePath(manifest.root, entry))]));
  const articleSlugs = new Set(articlePaths.values());
  const withheldSlugs = new Set([...withheldArticles].map((file) => articleSlug(file).toLowerCase()));
  const chapters: Chapter[] = [];
  let reused = 0;
  const onReuse = () => reused++;
  for await (const article of articles) {
    const i = chapters.length;
    progress(`transform article ${i + 1} of ${count}`);
    const context = { manifest, sidebars, sidebarInstances, articlePaths, articleSlugs, withheldArticles, withheldSlugs, images, diagnostics, cache, onReuse };
    const transform = () => transformArticle(article, context);
    chapters.push(deadline ? deadline.run(`transforming ${article.file}`, transform, article.file) : transform());
    onChapter?.(chapters, i);
    // Let the browser that is starting meanwhile be answered between articles, so that it is
    // connected, with a page open, by the time the print document is ready.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (reused) progress(`transform: ${reused} of ${chapters.length} articles unchanged, taken from the cache`);
  const linked = resolveCrossLinks(chapters, diagnostics, { edition: manifest.builtEdition?.name, withheldSlugs });
  return { manifest, chapters: linked, sidebars: new Map(sidebars), toc: linked.map((c) => c.toc), images };
}

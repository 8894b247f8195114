/** Articles + sidebars → Pack: chapters in manifest order and the one contents tree every medium uses. */
import type { Diagnostics } from '../diagnostics.js';
import type { Article, Manifest, Pack, Sidebar } from '../model.js';
import { transformArticle } from '../transform/chapter.js';

export function composePack(
  manifest: Manifest,
  articles: readonly Article[],
  sidebars: ReadonlyMap<string, Sidebar>,
  diagnostics: Diagnostics,
  progress: (message: string) => void = () => undefined,
): Pack {
  const sidebarInstances = new Map<string, number>();
  const chapters = articles.map((article, i) => {
    progress(`transform article ${i + 1} of ${articles.length}`);
    return transformArticle(article, { manifest, sidebars, sidebarInstances, diagnostics });
  });
  return { manifest, chapters, sidebars: new Map(sidebars), toc: chapters.map((c) => c.toc) };
}

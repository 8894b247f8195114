import path from 'node:path';
import type { Heading, Nodes, Root, Yaml } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { contentKey, type BuildCache } from '../cache.js';
import { codeStamp } from '../code-stamp.js';
import { Diagnostics, type Diagnostic, type Position } from '../diagnostics.js';
import type { Article, Manifest, Placement } from '../model.js';
import { frontMatterSchema, type FrontMatterData } from '../schema/frontmatter.js';
import { parseWithSchema } from '../schema/report.js';
import { walkNodes } from '../tree-walk.js';
import { parseMarkdown } from './markdown.js';
import { readSourceText, type SourceText } from './text.js';
import { parseYaml } from './yaml.js';

/** Where an `articles:` entry points: `name` means articles/name.md; a path ending in .md is taken as written. */
export function articlePath(root: string, entry: string): string {
  return path.resolve(root, entry.endsWith('.md') ? entry : path.join('articles', `${entry}.md`));
}

/** The article's slug: its file name without `.md`, which names its ids and its EPUB file. */
export function articleSlug(file: string): string {
  return path.basename(file, '.md');
}

/** An article listed in the manifest, its text read but not yet parsed. */
export interface ArticleFile {
  entry: string;
  file: string;
  source: SourceText;
}

/**
 * Read every article the manifest lists, in its order: reading is quick, parsing is not, and
 * the articles' sizes plan the print before any is parsed. Unreadable or doubly listed
 * articles are reported and left out.
 */
export async function readArticles(manifest: Manifest, diagnostics: Diagnostics): Promise<ArticleFile[]> {
  const seen = new Set<string>();
  const slugs = new Map<string, string>();
  const entries = manifest.articles.map((entry, index) => ({ entry, index, position: manifest.articlePositions[index]! }));
  const unique = entries.filter(({ entry, position }) => {
    const file = articlePath(manifest.root, entry);
    if (seen.has(file)) {
      diagnostics.error('article/duplicate', `"${entry}" is listed twice in articles`, { file: manifest.file, position });
      return false;
    }
    seen.add(file);
    // The slug names the article's ids and EPUB file; two files with one name would collide.
    const slug = articleSlug(file);
    const other = slugs.get(slug);
    if (other !== undefined) {
      diagnostics.error('article/duplicate', `"${entry}" has the same file name as "${other}"; article slugs must be unique`, {
        file: manifest.file,
        position,
        hint: 'Rename one of the two files.',
      });
      return false;
    }
    slugs.set(slug, entry);
    return true;
  });
  const read = await Promise.all(unique.map(({ entry, position }) => readArticle(manifest, entry, position, diagnostics)));
  return read.filter((a): a is ArticleFile => a !== undefined);
}

async function readArticle(manifest: Manifest, entry: string, listedAt: Position, diagnostics: Diagnostics): Promise<ArticleFile | undefined> {
  const file = articlePath(manifest.root, entry);
  const relative = path.relative(manifest.root, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    diagnostics.error('file/missing', `article "${entry}" is outside the pack folder`, { file: manifest.file, position: listedAt });
    return undefined;
  }
  const source = await readSourceText(file, diagnostics);
  if (!source) {
    const last = diagnostics.list.at(-1);
    if (last?.rule === 'file/missing' && last.file === undefined) Object.assign(last, { file: manifest.file, position: listedAt });
    else if (last?.rule === 'file/missing') {
      Object.assign(last, { file: manifest.file, position: listedAt, message: `article "${entry}" not found (looked for ${relative})` });
    }
    return undefined;
  }
  return { entry, file, source };
}

/**
 * What reading an article's text yields, bar the tree itself: small, and the same for the same
 * text, so it is kept in the build cache and a rebuild parses only the articles that changed.
 */
interface ArticleRecord {
  meta: FrontMatterData;
  lang: string;
  placements: Placement[];
  sections: string[];
  /** What parsing reported (warnings only, or the article would not have loaded). */
  diagnostics: Diagnostic[];
}

/** Parse an article read by readArticles (or take what parsing its text gave from the cache). */
export function loadArticle(manifest: Manifest, read: ArticleFile, diagnostics: Diagnostics, cache: BuildCache | undefined): Article | undefined {
  const { file, source } = read;
  const key = contentKey(codeStamp(), 'article', file, source.display, manifest.language, source.text);
  const name = `article-${key}.json`;
  const cached = cache?.readJson<ArticleRecord>(name);
  if (cached) {
    diagnostics.addAll(cached.diagnostics);
    return articleFrom(cached, file, source, key);
  }
  const reported = new Diagnostics();
  const parsed = parseArticle(source, manifest, reported);
  diagnostics.addAll(reported.list);
  if (!parsed) return undefined;
  const record: ArticleRecord = { ...parsed.record, diagnostics: reported.list };
  cache?.write(name, JSON.stringify(record));
  return articleFrom(record, file, source, key, parsed.body);
}

function articleFrom(record: ArticleRecord, file: string, source: SourceText, key: string, parsed?: Root): Article {
  let retained = parsed;
  return {
    slug: articleSlug(file),
    file: source.display,
    path: file,
    key,
    meta: record.meta,
    lang: record.lang,
    size: source.text.length,
    sections: record.sections,
    placements: record.placements,
    // The tree of a freshly parsed article is handed over once, then let go: a pack's trees with
    // their positions are the bulk of Node's memory, and the transform needs each only once.
    body() {
      const body = retained ?? markdownBody(parseMarkdown(source.text));
      retained = undefined;
      return body;
    },
  };
}

function markdownBody(mdast: Root): Root {
  return { ...mdast, children: mdast.children.slice(1) };
}

function parseArticle(source: SourceText, manifest: Manifest, diagnostics: Diagnostics): { record: Omit<ArticleRecord, 'diagnostics'>; body: Root } | undefined {
  const mdast = parseMarkdown(source.text);
  const yamlNode = mdast.children[0]?.type === 'yaml' ? (mdast.children[0] as Yaml) : undefined;
  if (!yamlNode) {
    diagnostics.error('frontmatter/missing', 'the article has no front matter (a YAML block between --- lines at the top)', {
      file: source.display,
      position: { line: 1, column: 1 },
    });
    return undefined;
  }
  const yaml = parseYaml(yamlNode.value, source.display, diagnostics, {
    lineOffset: yamlNode.position?.start.line ?? 1,
  });
  if (!yaml) return undefined;
  const meta = parseWithSchema(frontMatterSchema, yaml, source.display, diagnostics, {
    required: 'frontmatter/invalid',
    type: 'frontmatter/invalid',
    unknown: 'frontmatter/invalid',
  });
  if (!meta) return undefined;
  const body = markdownBody(mdast);
  if (body.children.length === 0) {
    diagnostics.error('article/empty', 'the article has front matter but no text', {
      file: source.display,
      position: { line: (yamlNode.position?.end.line ?? 1) + 1, column: 1 },
    });
    return undefined;
  }
  const placements: Placement[] = meta.sidebars.map((p, i) => ({
    id: p.id,
    section: p.section,
    inline: false,
    file: source.display,
    position: yaml.positionOf(['sidebars', i]),
  }));
  for (const p of directivePlacements(body, source.display, diagnostics)) placements.push(p);
  // A `#` heading in the text is a section like `##` (see transform/heading-levels.ts).
  const sections = body.children.filter((n): n is Heading => n.type === 'heading' && n.depth <= 2).map((n) => toString(n).trim());
  return { record: { meta, lang: meta.lang ?? manifest.language, placements, sections }, body };
}

/** `::sidebar{#id}` leaf directives; anything else directive-shaped is reported or kept as text. */
function directivePlacements(tree: Root, file: string, diagnostics: Diagnostics): Placement[] {
  const found: Placement[] = [];
  walkNodes<Nodes>(tree, (node) => {
    if (node.type !== 'leafDirective' && node.type !== 'containerDirective') return;
    const position = { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
    if (node.type === 'leafDirective' && node.name === 'sidebar') {
      const id = node.attributes?.id;
      if (!id) {
        diagnostics.error('markdown/directive', '::sidebar needs an id, as in ::sidebar{#key-people}', { file, position });
        return;
      }
      found.push({ id, inline: true, file, position });
      return;
    }
    diagnostics.error('markdown/directive', `unknown directive ${node.type === 'leafDirective' ? '::' : ':::'}${node.name}`, {
      file,
      position,
    });
  });
  return found;
}

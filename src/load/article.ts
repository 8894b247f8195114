import path from 'node:path';
import type { Definition, Heading, Nodes, Root, Yaml } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { contentKey, type BuildCache } from '../cache.js';
import { codeStamp } from '../code-stamp.js';
import { Diagnostics, type Diagnostic, type Position } from '../diagnostics.js';
import type { Article, Manifest, Placement } from '../model.js';
import { frontMatterSchema, type FrontMatterData } from '../schema/frontmatter.js';
import { parseWithSchema } from '../schema/report.js';
import { walkNodes } from '../tree-walk.js';
import { parseMarkdown } from './markdown.js';
import { deepLinePrefix, deepMarkdownNode, HtmlNesting, MAX_DEPTH, positionIn } from './nesting.js';
import { SIZE_LIMITS } from './pack-file.js';
import { printWeight } from './print-weight.js';
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
  /** Its weight when a large pack is printed in parts (print-weight.ts). */
  printWeight: number;
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
    diagnostics.error('file/outside-pack', `article "${entry}" is outside the pack folder`, { file: manifest.file, position: listedAt });
    return undefined;
  }
  // Problems finding the file are reported where pack.yaml lists it.
  const source = readSourceText(manifest.root, file, diagnostics, SIZE_LIMITS.article, { file: manifest.file, position: listedAt }, (problem) => ({
    ...problem,
    message: `article "${entry}" not found (looked for ${relative})`,
  }));
  if (!source) return undefined;
  return { entry, file, source, printWeight: printWeight(source.text, file, manifest.root) };
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
  const { file, source, printWeight: weight } = read;
  const key = contentKey(codeStamp(), 'article', file, source.display, manifest.language, source.text);
  const name = `article-${key}.json`;
  const cached = cache?.readJson<ArticleRecord>(name);
  if (cached) {
    diagnostics.addAll(cached.diagnostics);
    return articleFrom(cached, file, source, key, weight);
  }
  const reported = new Diagnostics();
  const parsed = parseArticle(source, manifest, reported);
  diagnostics.addAll(reported.list);
  if (!parsed) return undefined;
  const record: ArticleRecord = { ...parsed.record, diagnostics: reported.list };
  cache?.write(name, JSON.stringify(record));
  return articleFrom(record, file, source, key, weight, parsed.body);
}

function articleFrom(record: ArticleRecord, file: string, source: SourceText, key: string, weight: number, parsed?: Root): Article {
  let retained = parsed;
  return {
    slug: articleSlug(file),
    file: source.display,
    path: file,
    key,
    meta: record.meta,
    lang: record.lang,
    printWeight: weight,
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
  const prefix = deepLinePrefix(source.text);
  if (prefix) {
    tooDeep(source, positionIn(source.text, prefix.offset), 'quotes and list items', diagnostics);
    return undefined;
  }
  const mdast = parseMarkdown(source.text);
  if (!withinLimits(mdast, source, diagnostics)) return undefined;
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

function tooDeep(source: SourceText, position: Position, what: string, diagnostics: Diagnostics): void {
  diagnostics.error('markdown/nesting', `${what} nested more than ${MAX_DEPTH} levels deep`, { file: source.display, position });
}

/**
 * What every later stage can take: nothing nested deeper than MAX_DEPTH (Markdown and raw HTML
 * together; the transform and the writers recurse as deep as the tree), and image paths whose
 * percent-escapes decode.
 */
function withinLimits(tree: Root, source: SourceText, diagnostics: Diagnostics): boolean {
  const deep = deepMarkdownNode(tree);
  if (deep) {
    tooDeep(source, startOf(deep.node), 'Markdown blocks', diagnostics);
    return false;
  }
  let ok = true;
  const html = new HtmlNesting();
  const definitions = new Map<string, Definition>();
  walkNodes<Nodes>(tree, (node) => {
    if (node.type === 'definition') definitions.set(node.identifier, node);
  });
  // Depth is counted with an explicit stack: the tree is known to be shallow by now, but the walk
  // needs each node's depth.
  const stack: Array<[Nodes, number]> = [[tree as unknown as Nodes, 0]];
  while (stack.length > 0 && ok) {
    const [node, depth] = stack.pop()!;
    if (node.type === 'html') {
      const deepHtml = html.read(node.value, depth);
      if (deepHtml) {
        tooDeep(source, positionIn(node.value, deepHtml.offset, startOf(node)), 'HTML elements', diagnostics);
        ok = false;
      }
    }
    const url = node.type === 'image' ? node.url : node.type === 'imageReference' ? definitions.get(node.identifier)?.url : undefined;
    if (url !== undefined && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) {
      try {
        decodeURI(url.split(/[?#]/)[0] ?? '');
      } catch {
        diagnostics.error('markdown/image', `image ${url} has a malformed percent-escape (% must be followed by the two hex digits of a UTF-8 byte)`, {
          file: source.display,
          position: startOf(node),
          hint: 'Write the path as it is, or escape a % sign as %25.',
        });
        ok = false;
      }
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i] as Nodes, depth + 1]);
  }
  return ok;
}

function startOf(node: Nodes): Position {
  return { line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 };
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

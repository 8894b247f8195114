import path from 'node:path';
import type { Definition, Heading, Nodes, Root, Yaml } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { contentKey, type BuildCache } from '../cache.js';
import { codeStamp } from '../code-stamp.js';
import { Diagnostics, type Diagnostic, type Position } from '../diagnostics.js';
import type { Article, Manifest, MarkedBlock, Placement, WrittenBlock } from '../model.js';
import { combine, type MarkingScheme } from '../marking/scheme.js';
import { resolveMarking, type WrittenMarking } from '../marking/written.js';
import { writtenMarkingOf } from './written-marking.js';
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
  /** Its front matter's `level:` and `caveats:`, if any. */
  marking?: WrittenMarking;
  /** Its `:::marked` blocks, in the order they open. */
  blocks: WrittenBlock[];
  /** What parsing reported (warnings only, or the article would not have loaded). */
  diagnostics: Diagnostic[];
}

/** Parse an article read by readArticles (or take what parsing its text gave from the cache). */
export function loadArticle(
  manifest: Manifest,
  read: ArticleFile,
  diagnostics: Diagnostics,
  cache: BuildCache | undefined,
  /** keepTree false: let the tree go now (the article is transformed later, if at all, and parsed again then). */
  options: { keepTree?: boolean } = {},
): Article | undefined {
  const { file, source, printWeight: weight } = read;
  const key = contentKey(codeStamp(), 'article', file, source.display, manifest.language, source.text);
  const name = `article-${key}.json`;
  const cached = cache?.readJson<ArticleRecord>(name);
  if (cached) {
    diagnostics.addAll(cached.diagnostics);
    return articleFrom(cached, file, source, key, weight, manifest.markings, diagnostics);
  }
  const reported = new Diagnostics();
  const parsed = parseArticle(source, manifest, reported);
  diagnostics.addAll(reported.list);
  if (!parsed) return undefined;
  const record: ArticleRecord = { ...parsed.record, diagnostics: reported.list };
  cache?.write(name, JSON.stringify(record));
  return articleFrom(record, file, source, key, weight, manifest.markings, diagnostics, options.keepTree === false ? undefined : parsed.body);
}

/**
 * Its markings checked against the pack's scheme, every time (the scheme is pack.yaml's, which
 * may change while the article does not): undefined, after the errors, if one is not right. Each
 * block is marked as what holds it and as itself.
 */
function markingsOf(record: ArticleRecord, scheme: MarkingScheme, file: string, diagnostics: Diagnostics): Pick<Article, 'marking' | 'blocks' | 'markedAt'> | undefined {
  const marking = record.marking ? resolveMarking(record.marking, scheme, scheme.unmarked, file, diagnostics) : { level: scheme.unmarked, caveats: [] };
  const blocks: MarkedBlock[] = [];
  let ok = marking !== undefined;
  for (const block of record.blocks) {
    const around = block.parent >= 0 ? blocks[block.parent]!.marking : (marking ?? { level: scheme.unmarked, caveats: [] });
    const own = resolveMarking(block.marking, scheme, around.level, file, diagnostics);
    if (!own) ok = false;
    blocks.push({ ...block, marking: own ? combine(around, own) : around });
  }
  return ok ? { marking: marking!, blocks, ...(record.marking ? { markedAt: record.marking.levelAt } : {}) } : undefined;
}

function articleFrom(
  record: ArticleRecord,
  file: string,
  source: SourceText,
  key: string,
  weight: number,
  scheme: MarkingScheme,
  diagnostics: Diagnostics,
  parsed?: Root,
): Article | undefined {
  const markings = markingsOf(record, scheme, source.display, diagnostics);
  if (!markings) return undefined;
  let retained = parsed;
  return {
    ...markings,
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
  const directives = readDirectives(body, source, diagnostics);
  for (const p of directives.placements) placements.push(p);
  // A `#` heading in the text is a section like `##` (see transform/heading-levels.ts).
  const sections = body.children.filter((n): n is Heading => n.type === 'heading' && n.depth <= 2).map((n) => toString(n).trim());
  const marking = writtenMarkingOf(yaml, meta.level, meta.caveats);
  return {
    record: { meta, lang: meta.lang ?? manifest.language, placements, sections, ...(marking ? { marking } : {}), blocks: directives.blocks },
    body,
  };
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

/**
 * `::sidebar{#id}` placements and `:::marked{level=... caveats="..."}` blocks; anything else
 * directive-shaped is reported (text directives were put back as text by then).
 */
function readDirectives(tree: Root, source: SourceText, diagnostics: Diagnostics): { placements: Placement[]; blocks: WrittenBlock[] } {
  const file = source.display;
  const placements: Placement[] = [];
  const blocks: WrittenBlock[] = [];
  // The blocks that hold the node visited: they open before it and end after it.
  const open: number[] = [];
  walkNodes<Nodes>(tree, (node) => {
    if (node.type !== 'leafDirective' && node.type !== 'containerDirective') return;
    const position = startOf(node);
    if (node.type === 'leafDirective' && node.name === 'sidebar') {
      const id = node.attributes?.id;
      if (!id) {
        diagnostics.error('markdown/directive', '::sidebar needs an id, as in ::sidebar{#key-people}', { file, position });
        return;
      }
      placements.push({ id, inline: true, file, position });
      return;
    }
    if (node.name === 'marked') {
      if (node.type === 'leafDirective') {
        diagnostics.error('markdown/directive', '::marked is a block that holds text: open it with :::marked{level=...} and close it with a line of :::', { file, position });
        return;
      }
      const startOffset = node.position?.start.offset ?? 0;
      while (open.length > 0 && blocks[open.at(-1)!]!.endOffset <= startOffset) open.pop();
      const marking = blockMarking(node.attributes ?? {}, position, file, diagnostics);
      if (!marking) return;
      if (!closed(source.text, node.position?.end.offset ?? 0)) {
        diagnostics.warn('markdown/directive', 'this marked block is never closed (no line of ::: after it): it runs to the end of the article', {
          file,
          position,
          hint: 'Close a :::marked block with a line of three colons.',
        });
      }
      blocks.push({
        marking,
        start: position,
        end: { line: node.position?.end.line ?? position.line, column: node.position?.end.column ?? position.column },
        startOffset,
        endOffset: node.position?.end.offset ?? startOffset,
        parent: open.at(-1) ?? -1,
      });
      open.push(blocks.length - 1);
      return;
    }
    diagnostics.error('markdown/directive', `unknown directive ${node.type === 'leafDirective' ? '::' : ':::'}${node.name}`, { file, position });
  });
  if (blocks.length > 0) reportStrayFences(tree, file, diagnostics);
  return { placements, blocks };
}

/**
 * A line of colons that closes no block is printed as text; in an article with marked blocks it
 * is most likely the fence of a block that an inner block's fence closed early (nested blocks
 * need longer fences outside), and what follows it is then not marked as its author meant.
 */
function reportStrayFences(tree: Root, file: string, diagnostics: Diagnostics): void {
  walkNodes<Nodes>(tree, (node) => {
    if (node.type !== 'text' || !node.value.includes(':::')) return;
    const lines = node.value.split('\n');
    const i = lines.findIndex((line) => /^[ \t]*:{3,}[ \t]*$/.test(line));
    if (i < 0) return;
    diagnostics.error('markdown/directive', 'a line of colons that closes no block: what follows it is not inside the marked block it seems to end', {
      file,
      position: { line: (node.position?.start.line ?? 1) + i, column: i === 0 ? (node.position?.start.column ?? 1) : 1 },
      hint: 'A block inside a block closes with the first fence as long as its own: give the outer block a longer fence (::::marked{...} ... ::::) than the inner (:::marked{...} ... :::).',
    });
  });
}

/** `level=SECRET caveats="NOFORN, PARTNERS ONLY"`: each name at the directive, which is where a Markdown parser leaves attributes. */
function blockMarking(attributes: Record<string, string | null | undefined>, position: Position, file: string, diagnostics: Diagnostics): WrittenMarking | undefined {
  let ok = true;
  for (const key of Object.keys(attributes)) {
    if (key === 'level' || key === 'caveats') continue;
    diagnostics.error('markdown/directive', `:::marked takes level and caveats, not ${key === 'id' ? '#id' : key === 'class' ? '.class' : key}`, {
      file,
      position,
      hint: 'Write :::marked{level=SECRET caveats="NOFORN, PARTNERS ONLY"}.',
    });
    ok = false;
  }
  const level = attributes.level?.trim();
  const caveats = (attributes.caveats ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  if (attributes.level !== undefined && !level) {
    diagnostics.error('markdown/directive', ':::marked has an empty level', { file, position, hint: 'Write :::marked{level=SECRET}.' });
    ok = false;
  } else if (!level && caveats.length === 0 && ok) {
    diagnostics.error('markdown/directive', ':::marked needs a level, caveats or both', { file, position, hint: 'Write :::marked{level=SECRET caveats="NOFORN"}.' });
    ok = false;
  }
  if (!ok) return undefined;
  return { ...(level ? { level } : {}), caveats, levelAt: position, caveatsAt: caveats.map(() => position) };
}

/** Whether the block that ends at `end` ends with its closing fence, a line of colons (else it ran to the end of its container). */
function closed(text: string, end: number): boolean {
  const lineStart = text.lastIndexOf('\n', end - 1) + 1;
  return /:{3,}[ \t]*$/.test(text.slice(lineStart, end));
}

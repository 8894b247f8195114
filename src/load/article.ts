import path from 'node:path';
import type { Root, Yaml } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Diagnostics, Position } from '../diagnostics.js';
import type { Article, Manifest, Placement } from '../model.js';
import { frontMatterSchema } from '../schema/frontmatter.js';
import { parseWithSchema } from '../schema/report.js';
import { parseMarkdown } from './markdown.js';
import { readSourceText } from './text.js';
import { parseYaml } from './yaml.js';

/** Where an `articles:` entry points: `name` means articles/name.md; a path ending in .md is taken as written. */
export function articlePath(root: string, entry: string): string {
  return path.resolve(root, entry.endsWith('.md') ? entry : path.join('articles', `${entry}.md`));
}

export async function loadArticles(manifest: Manifest, diagnostics: Diagnostics): Promise<Article[]> {
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
    const slug = path.basename(file, '.md');
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
  const loaded = await Promise.all(unique.map(({ entry, position }) => loadArticle(manifest, entry, position, diagnostics)));
  return loaded.filter((a): a is Article => a !== undefined);
}

async function loadArticle(manifest: Manifest, entry: string, listedAt: Position, diagnostics: Diagnostics): Promise<Article | undefined> {
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
  const body = { ...mdast, children: mdast.children.slice(1) } satisfies Root;
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
  placements.push(...directivePlacements(body, source.display, diagnostics));
  return {
    slug: path.basename(file, '.md'),
    file: source.display,
    path: file,
    meta,
    lang: meta.lang ?? manifest.language,
    mdast: body,
    placements,
  };
}

/** `::sidebar{#id}` leaf directives; anything else directive-shaped is reported or kept as text. */
function directivePlacements(tree: Root, file: string, diagnostics: Diagnostics): Placement[] {
  const found: Placement[] = [];
  visit(tree, (node) => {
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

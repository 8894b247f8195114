/**
 * rehype plugin: every link made to work in the PDF, the EPUB and the HTML alike, or printed as
 * plain text with a warning. Authors link the way GitHub renders Markdown:
 *
 * - `other.md`, `./other.md#heading`, `../articles/other.md`: another article of the pack becomes
 *   a link to its title or heading (`#other--heading`), which each writer turns into what it
 *   needs (a GoTo in the PDF, a file and id in the EPUB, an id in the HTML);
 * - `#heading`: a heading or id of the same article, by GitHub's anchor, an id written in raw
 *   HTML, or briefpack's own id;
 * - `https://`, `http://` and `mailto:` addresses, made valid URIs (spaces and the like escaped).
 *
 * A link to anything else (no such article or heading, a file of the pack that is not an
 * article, a folder, a file outside the pack, an address that is not one) would be dead for
 * every reader, and a `file:` link would publish the build machine's folders: it is printed as
 * its text, with a warning at its position.
 *
 * Links to a heading of another article are checked once the whole pack is made (see
 * compose/cross-links.ts): here they are written as that heading's id would read if the
 * fragment is its GitHub anchor or its raw id, which it is as a rule.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import type { Diagnostics, Position } from '../diagnostics.js';
import { spliceChildren, walkElements } from '../tree-walk.js';

/** A link to a heading of another article, to be checked when the pack is whole. */
export interface CrossLink {
  /** The article linked to. */
  target: string;
  /** The fragment as written (decoded, white space as hyphens). */
  fragment: string;
  /** The link as written, for messages. */
  written: string;
  file: string;
  position?: Position;
}

/**
 * What a relative link's path names, as kept in the build cache (a chapter is reused only if
 * each of its links still names the same): `article:<slug>`, `file`, `folder`, `missing` or
 * `outside`.
 */
export type LinkTarget = `article:${string}` | 'withheld' | 'file' | 'folder' | 'missing' | 'outside';

/** `withheld`: the pack's articles that the edition leaves out. */
export function linkTargetOf(absolute: string, packRoot: string, articles: ReadonlyMap<string, string>, withheld?: ReadonlySet<string>): LinkTarget {
  const slug = articles.get(absolute);
  if (slug !== undefined) return `article:${slug}`;
  if (withheld?.has(absolute)) return 'withheld';
  const relative = path.relative(packRoot, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return 'outside';
  try {
    const stat = statSync(absolute);
    return stat.isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

export interface LinkOptions {
  /** The article's slug. */
  slug: string;
  /** Display path of the article, for messages. */
  file: string;
  articleDir: string;
  packRoot: string;
  /** Names of this chapter's ids (see anchors.ts). */
  anchors: ReadonlyMap<string, string>;
  /** The slugs of the pack's articles. */
  slugs: ReadonlySet<string>;
  /** What an absolute path names. */
  targetOf: (absolute: string) => LinkTarget;
  /** Filled in: links to headings of other articles. */
  crossLinks: CrossLink[];
  /** Names (lower case) of headings and ids of this article, and slugs of articles, that its edition leaves out. */
  withheld?: ReadonlySet<string>;
  /** The edition's name, for messages. */
  edition?: string;
  diagnostics: Diagnostics;
}

/**
 * Said of a link to a part the edition leaves out, without naming it: what the link names is
 * the withheld part's heading or file, which the edition's report must not carry either.
 */
export function withheldLink(edition: string | undefined): string {
  return `a link to a part of the pack that the ${edition ?? 'whole'} edition leaves out; printed as plain text`;
}

/** A link's problem that may not be quoted in the edition's messages. */
const WITHHELD = Symbol('withheld');

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

export function rehypeLinks(options: LinkOptions) {
  return (tree: Root) => {
    walkElements(tree, (node, index, parent) => {
      if (node.tagName !== 'a' || typeof node.properties.href !== 'string') return undefined;
      const position = node.position ? { line: node.position.start.line, column: node.position.start.column } : undefined;
      const result = resolveHref(node.properties.href, options, position);
      if (typeof result === 'string') {
        node.properties.href = result;
        return undefined;
      }
      if (result === WITHHELD) options.diagnostics.warn('edition/withheld', withheldLink(options.edition), { file: options.file, position });
      else options.diagnostics.warn('markdown/link', `${result.problem}; printed as plain text`, { file: options.file, position });
      spliceChildren(parent.children as ElementContent[], index, 1, node.children);
      return index;
    });
  };
}

/** The href to write, or why there is none. */
function resolveHref(href: string, options: LinkOptions, position: Position | undefined): string | { problem: string } | typeof WITHHELD {
  const readable = decoded(href);
  const shown = readable.length > 80 ? `${readable.slice(0, 80)}…` : readable;
  if (href.trim() === '') return { problem: 'a link with no target' };
  if (href.startsWith('//')) href = `https:${href}`;
  if (SCHEME.test(href)) {
    const uri = validUri(href);
    return uri ?? { problem: `link to "${shown}": not a valid web or mail address` };
  }
  const hash = href.indexOf('#');
  const fragment = hash >= 0 ? fragmentId(decoded(href.slice(hash + 1))) : undefined;
  const pathPart = decoded((hash >= 0 ? href.slice(0, hash) : href).split('?')[0]!);
  if (pathPart === '') {
    if (fragment === undefined || fragment === '') return `#${options.slug}`;
    return ownAnchor(fragment, options) ?? anotherArticle(fragment, shown, options, position) ?? ownWithheld(fragment, options) ?? { problem: `link to #${fragment}: no heading or id of that name in this article` };
  }
  // A path from the root of the repository, as GitHub reads it, is one from the pack folder here.
  const absolute = path.isAbsolute(pathPart) ? path.join(options.packRoot, pathPart) : path.resolve(options.articleDir, pathPart);
  const target = options.targetOf(absolute);
  if (target.startsWith('article:')) {
    const slug = target.slice('article:'.length);
    if (fragment === undefined || fragment === '') return `#${slug}`;
    if (slug === options.slug) return ownAnchor(fragment, options) ?? ownWithheld(fragment, options) ?? { problem: `link to ${shown}: no heading or id of that name in this article` };
    options.crossLinks.push({ target: slug, fragment, written: shown, file: options.file, position });
    return `#${slug}--${fragment}`;
  }
  if (target === 'withheld') return WITHHELD;
  const what = {
    file: /\.(md|markdown)$/i.test(pathPart)
      ? 'a Markdown file that is not one of the pack\'s articles (add it to articles: in pack.yaml to include it)'
      : 'a file of the pack that is not an article, which readers of the PDF, EPUB and HTML cannot open',
    folder: 'a folder',
    missing: 'no such file in the pack',
    outside: 'outside the pack folder',
  }[target as 'file' | 'folder' | 'missing' | 'outside'];
  return { problem: `link to ${shown}: ${what}` };
}

/** `#fragment` of this chapter by any of its names, exactly or, failing that, in any case. */
function ownAnchor(fragment: string, options: LinkOptions): string | undefined {
  const exact = options.anchors.get(fragment);
  if (exact !== undefined) return `#${exact}`;
  const lower = fragment.toLowerCase();
  for (const [name, id] of options.anchors) if (name.toLowerCase() === lower) return `#${id}`;
  return undefined;
}

/** WITHHELD when the fragment names a heading or id of this article that the edition leaves out. */
function ownWithheld(fragment: string, options: LinkOptions): typeof WITHHELD | undefined {
  const name = fragment.toLowerCase();
  const split = name.indexOf('--');
  return options.withheld?.has(name) || (split > 0 && options.withheld?.has(name.slice(0, split))) ? WITHHELD : undefined;
}

/**
 * `#other` or `#other--heading`: an id of another article as briefpack writes it, which links
 * within the one print document have always reached.
 */
function anotherArticle(fragment: string, shown: string, options: LinkOptions, position: Position | undefined): string | undefined {
  if (options.slugs.has(fragment)) return `#${fragment}`;
  const split = fragment.indexOf('--');
  const slug = split > 0 ? fragment.slice(0, split) : undefined;
  if (slug === undefined || slug === options.slug || !options.slugs.has(slug)) return undefined;
  options.crossLinks.push({ target: slug, fragment: fragment.slice(split + 2), written: shown, file: options.file, position });
  return `#${fragment}`;
}

/** A fragment as ids are written: white space as hyphens (see anchors.ts). */
export function fragmentId(fragment: string): string {
  return fragment.trim().replace(/\s+/g, '-');
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * An absolute http(s) or mailto address as a valid URI (RFC 3986, which EPUBCheck holds links
 * to): parsed as browsers parse it, then every character a URI may not hold percent-encoded.
 */
export function validUri(href: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return undefined;
  }
  if (!['http:', 'https:', 'mailto:'].includes(url.protocol)) return undefined;
  if (url.protocol !== 'mailto:' && url.hostname === '') return undefined;
  // Square brackets are left for IPv6 hosts only, which a briefing does not link to.
  return url.href.replace(/%(?![0-9a-fA-F]{2})|[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]/gu, (c) =>
    c === '%' ? '%25' : encodeURIComponent(c).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`),
  );
}

/**
 * rehype plugin: checks every image (inside the pack, present, not remote), records it for the
 * renderers, requires alt text, and turns a paragraph holding only an image into a figure whose
 * caption is the image title.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { walkElements } from '../tree-walk.js';
import type { Diagnostics } from '../diagnostics.js';

export interface ImageOptions {
  packRoot: string;
  articleDir: string;
  file: string;
  diagnostics: Diagnostics;
  images: string[]; // filled in: pack-relative paths
  /** A file's real path (links resolved), or undefined when it does not exist. */
  locate?: (file: string) => string | undefined;
}

/** The file system's answer to `locate`; a cached chapter records each answer and asks again. */
export function locateFile(file: string): string | undefined {
  return existsSync(file) ? realpathSync(file) : undefined;
}

/** The image files an article may use, by extension, with their media types. */
export const IMAGE_MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
};

export function rehypeImages(options: ImageOptions) {
  return (tree: Root) => {
    walkElements(tree, (node: Element, index, parent) => {
      if (node.tagName !== 'img') return;
      const src = typeof node.properties.src === 'string' ? node.properties.src : '';
      const position = node.position ? { line: node.position.start.line, column: node.position.start.column } : undefined;
      const resolved = resolveImage(src, options, position);
      if (!resolved) {
        parent.children.splice(index, 1);
        return index;
      }
      node.properties.src = resolved;
      if (!options.images.includes(resolved)) options.images.push(resolved);
      if (typeof node.properties.alt !== 'string' || node.properties.alt.trim() === '') {
        options.diagnostics.warn('markdown/image', `image ${src} has no alt text`, {
          file: options.file,
          position,
          hint: 'Describe the image in the brackets: ![what it shows](path). Screen readers and e-readers need it.',
        });
      }
      if (parent && parent.type === 'element' && parent.tagName === 'p' && onlyChild(parent, node)) {
        const caption = typeof node.properties.title === 'string' ? node.properties.title : undefined;
        delete node.properties.title;
        const children: ElementContent[] = [node];
        if (caption) children.push({ type: 'element', tagName: 'figcaption', properties: {}, children: [{ type: 'text', value: caption }] });
        Object.assign(parent, { tagName: 'figure', properties: { className: ['figure'] }, children });
      }
      return undefined;
    });
  };
}

function onlyChild(parent: Element, node: Element): boolean {
  return parent.children.every((c) => c === node || (c.type === 'text' && c.value.trim() === ''));
}

/** The image's path relative to the pack root, or undefined after reporting why it cannot be used. */
function resolveImage(src: string, options: ImageOptions, position: { line: number; column: number } | undefined): string | undefined {
  const at = { file: options.file, position };
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
    options.diagnostics.error('markdown/image', `remote image ${src} is not allowed`, {
      ...at,
      hint: 'briefpack never fetches from the network: download the image into the pack folder and link it by path.',
    });
    return undefined;
  }
  const decoded = decodeURI(src.split(/[?#]/)[0] ?? '');
  const absolute = path.isAbsolute(decoded) ? decoded : path.resolve(options.articleDir, decoded);
  const inside = (p: string) => {
    const rel = path.relative(options.packRoot, p);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  };
  if (!inside(absolute)) {
    options.diagnostics.error('markdown/image', `image ${src} is outside the pack folder`, at);
    return undefined;
  }
  const locate = options.locate ?? locateFile;
  const real = locate(absolute);
  if (real === undefined) {
    options.diagnostics.error('markdown/image', `image ${src} not found`, at);
    return undefined;
  }
  const realRel = path.relative(locate(options.packRoot) ?? options.packRoot, real);
  if (realRel.startsWith('..') || path.isAbsolute(realRel)) {
    options.diagnostics.error('markdown/image', `image ${src} is a link to a file outside the pack folder`, at);
    return undefined;
  }
  if (!(path.extname(absolute).toLowerCase() in IMAGE_MEDIA_TYPES)) {
    options.diagnostics.error('markdown/image', `image ${src} is not a PNG, JPEG, GIF, SVG or WebP file`, at);
    return undefined;
  }
  return path.relative(options.packRoot, absolute).split(path.sep).join('/');
}

/**
 * rehype plugin: checks every image (a file inside the pack, that holds an image; never remote),
 * loads it into the build's image store, which every writer takes it from, asks for alt text, and
 * turns a paragraph holding only an image into a figure whose caption is the image title.
 */
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { walkElements } from '../tree-walk.js';
import type { Diagnostics, Position } from '../diagnostics.js';
import type { ImageStore } from '../images/store.js';

export interface ImageOptions {
  packRoot: string;
  articleDir: string;
  file: string;
  diagnostics: Diagnostics;
  images: string[]; // filled in: pack-relative paths
  store: ImageStore;
}

export function rehypeImages(options: ImageOptions) {
  return (tree: Root) => {
    const noted = new Set<string>();
    walkElements(tree, (node: Element, index, parent) => {
      if (node.tagName !== 'img') return;
      const src = typeof node.properties.src === 'string' ? node.properties.src : '';
      const position = node.position ? { line: node.position.start.line, column: node.position.start.column } : undefined;
      const resolved = resolveImage(src, options, position, noted);
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
        // Empty alt text would mark the image as decoration, which readers and checkers then pass
        // over in silence; briefpack cannot know that it is, so the image goes out without any,
        // as what it is: an image nobody described (and --validate rejects it).
        delete node.properties.alt;
      }
      if (parent && parent.type === 'element' && parent.tagName === 'p' && onlyChild(parent, node)) {
        const caption = typeof node.properties.title === 'string' ? node.properties.title : undefined;
        delete node.properties.title;
        const children: ElementContent[] = [node];
        // A portion mark (marking/filter-body.ts) opens the caption, a caption of its own if need be.
        const mark = parent.children.find(isPortionMark);
        const captionText: ElementContent[] = [
          ...(mark ? [mark, ...(caption ? [{ type: 'text' as const, value: ' ' }] : [])] : []),
          ...(caption ? [{ type: 'text' as const, value: caption }] : []),
        ];
        if (captionText.length) children.push({ type: 'element', tagName: 'figcaption', properties: {}, children: captionText });
        Object.assign(parent, { tagName: 'figure', properties: { className: ['figure'] }, children });
      }
      return undefined;
    });
  };
}

function onlyChild(parent: Element, node: Element): boolean {
  return parent.children.every((c) => c === node || (c.type === 'text' && c.value.trim() === '') || isPortionMark(c));
}

function isPortionMark(node: ElementContent): node is Element {
  return node.type === 'element' && node.tagName === 'span' && Array.isArray(node.properties.className) && node.properties.className.includes('portion-mark');
}

/** The image's path relative to the pack root, or undefined after reporting why it cannot be used. */
function resolveImage(src: string, options: ImageOptions, position: Position | undefined, noted: Set<string>): string | undefined {
  const at = { file: options.file, position };
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
    options.diagnostics.error('markdown/image', `remote image ${src} is not allowed`, {
      ...at,
      hint: 'briefpack never fetches from the network: download the image into the pack folder and link it by path.',
    });
    return undefined;
  }
  let decoded: string;
  try {
    decoded = decodeURI(src.split(/[?#]/)[0] ?? '');
  } catch {
    options.diagnostics.error('markdown/image', `image path ${src} has a malformed percent-escape`, { ...at, hint: 'Write % as %25, or the character itself.' });
    return undefined;
  }
  if (decoded.trim() === '') {
    options.diagnostics.error('markdown/image', 'an image with no file', at);
    return undefined;
  }
  const image = options.store.load(path.resolve(options.articleDir, decoded));
  if ('problem' in image) {
    options.diagnostics.error('markdown/image', `image ${src} ${image.problem}`, { ...at, hint: image.hint });
    return undefined;
  }
  // Said once per article, where the image is first used.
  if (!noted.has(image.file)) {
    noted.add(image.file);
    for (const note of image.notes) options.diagnostics.warn('markdown/image', `image ${src} ${note}`, at);
  }
  return image.file;
}

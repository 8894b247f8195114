/**
 * Pack → one self-contained HTML page (fonts and images inlined), for reading in a browser or
 * attaching to an email: no external requests at all.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { contentKey, type BuildCache } from '../cache.js';
import type { Chapter, Pack } from '../model.js';
import { contentsContent, coverContent } from '../compose/front.js';
import { SKIP, walkElements } from '../tree-walk.js';
import { h } from 'hastscript';
import { fillSlots, type Template } from '../compose/template.js';
import { facesFor, fontFaceCss } from '../fonts.js';
import { mapYielding } from '../yielding.js';


export async function renderWeb(pack: Pack, template: Template, cache?: BuildCache): Promise<string> {
  const { manifest } = pack;
  const chapters = await mapYielding(pack.chapters, (chapter) => chapterHtml(chapter, pack.images, cache));
  const faces = facesFor(pack.chapters.map((c) => c.chars).join('') + manifest.title + (manifest.subtitle ?? ''), pack.chapters.map((c) => c.codeChars).join(''));
  const css = [
    fontFaceCss(faces, (f) => `data:font/woff2;base64,${readFileSync(f.file).toString('base64')}`),
    template.css('base'),
    template.css('web'),
  ].join('\n');
  const tree = fillSlots(template.shell('web'), {
    title: manifest.title,
    styles: css,
    cover: coverContent(manifest),
    contents: contentsContent(pack.toc),
    chapters,
  });
  const html = tree.children.find((c) => c.type === 'element' && c.tagName === 'html');
  if (html && html.type === 'element') html.properties.lang = manifest.language;
  // Raw nodes are the chapters, serialized from their trees below; no other raw HTML reaches here.
  return toHtml(tree, { ...SERIALIZE, allowDangerousHtml: true });
}

const SERIALIZE = { characterReferences: { useNamedReferences: false } } as const;

/**
 * A chapter serialized with its images inlined, as a raw node for the page: made from its tree,
 * or kept from an earlier build of the same chapter with the same images.
 */
function chapterHtml(chapter: Chapter, store: Pack['images'], cache: BuildCache | undefined): ElementContent {
  const images = new Map(chapter.images.map((file) => [file, store.get(file)]));
  const name = `web-chapter-${contentKey(chapter.key, ...[...images.values()].map((image) => createHash('sha256').update(image.data).digest('hex')))}.html`;
  const make = () => {
    const tree = structuredClone(chapter.tree);
    walkElements(tree, (node, index, parent) => {
      const image = typeof node.properties.src === 'string' && node.tagName === 'img' ? images.get(node.properties.src) : undefined;
      if (image) node.properties.src = `data:${image.mediaType};base64,${image.data.toString('base64')}`;
      // A table scrolls sideways in a box of its own, which the keyboard can reach, rather than widen the page.
      if (node.tagName === 'table') {
        parent.children[index] = h('div.table-scroll', { role: 'region', tabIndex: 0, ariaLabel: 'Table' }, [node]);
        return SKIP;
      }
      return undefined;
    });
    return toHtml(tree, SERIALIZE);
  };
  return { type: 'raw', value: cache ? cache.text(name, make) : make() };
}

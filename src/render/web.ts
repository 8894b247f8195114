/**
 * Pack → one self-contained HTML page (fonts and images inlined), for reading in a browser or
 * attaching to an email: no external requests at all.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';
import type { Pack } from '../model.js';
import { contentsContent, coverContent } from '../compose/front.js';
import { IMAGE_MEDIA_TYPES } from '../transform/images.js';
import { fillSlots, type Template } from '../compose/template.js';
import { toString } from 'hast-util-to-string';
import { facesUsedBy, fontFaceCss } from './fonts.js';


export function renderWeb(pack: Pack, template: Template): string {
  const { manifest } = pack;
  const chapters = pack.chapters.flatMap((c) => structuredClone(c.tree).children as ElementContent[]);
  const root = { type: 'root' as const, children: chapters };
  visit(root, 'element', (node) => {
    if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return;
    const file = path.join(manifest.root, node.properties.src);
    const mime = IMAGE_MEDIA_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    node.properties.src = `data:${mime};base64,${readFileSync(file).toString('base64')}`;
  });
  const faces = facesUsedBy(toString(root) + manifest.title + (manifest.subtitle ?? ''));
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
  return toHtml(tree, { characterReferences: { useNamedReferences: false } });
}

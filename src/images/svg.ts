/**
 * An SVG file as a briefing may carry it: a drawing, nothing that runs or reaches out. SVG is a
 * document format: a file can hold scripts, event handlers, HTML in `<foreignObject>`, style
 * sheets that `@import`, and references to files and web addresses (a tracking beacon in a
 * published briefing). Reading systems that open the SVG would run or fetch them, and EPUBCheck
 * rejects the book.
 *
 * The file is parsed as browsers parse SVG in HTML (a DOCTYPE and its entities are ignored, so no
 * entity can expand or reach a file), only drawing elements and attributes are kept, references
 * are kept only within the file (`#id`) or as embedded raster images (`data:image/png`), CSS
 * loses `@import` and every outside `url()`, and the result is written as XML again. What went
 * is listed, for the warning at the image's position.
 */
import type { Element, ElementContent, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toXast } from 'hast-util-to-xast';
import { find, svg as svgSchema } from 'property-information';
import { toXml } from 'xast-util-to-xml';

const DRAWING_ELEMENTS = new Set([
  'svg', 'g', 'defs', 'symbol', 'use', 'title', 'desc', 'switch', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline',
  'polygon', 'text', 'tspan', 'textPath', 'linearGradient', 'radialGradient', 'stop', 'pattern', 'clipPath', 'mask',
  'marker', 'image', 'filter', 'style', 'a', 'view',
  'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix', 'feDiffuseLighting',
  'feDisplacementMap', 'feDistantLight', 'feDropShadow', 'feFlood', 'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR',
  'feGaussianBlur', 'feMerge', 'feMergeNode', 'feMorphology', 'feOffset', 'fePointLight', 'feSpecularLighting',
  'feSpotLight', 'feTile', 'feTurbulence',
]);

/** Removed with what they hold, and said: they run, embed other documents or change the drawing over time. */
const ACTIVE_ELEMENTS = new Set(['script', 'foreignObject', 'animate', 'animateMotion', 'animateTransform', 'animateColor', 'set', 'feImage', 'iframe', 'object', 'embed', 'audio', 'video', 'handler', 'listener']);

/** Removed silently: an editor's bookkeeping, not part of the drawing. */
const QUIET_ELEMENTS = new Set(['metadata']);

/** Attributes that name another resource: kept only when they point inside the file. */
const REFERENCES = new Set(['href', 'xLinkHref']);

export interface SanitizedSvg {
  data: Buffer;
  width?: number;
  height?: number;
  /** What was taken out, said in words ("a <script>", "an onload handler", ...). */
  removed: string[];
}

export function sanitizeSvg(text: string): SanitizedSvg | { problem: string } {
  const tree = fromHtml(text, { fragment: true, space: 'svg' });
  const root = tree.children.find((c): c is Element => c.type === 'element');
  if (!root || root.tagName !== 'svg') return { problem: 'it holds no <svg> drawing' };
  const removed = new Tally();
  cleanElement(root, removed);
  // Elements are checked with a stack of their own: a hostile file can nest thousands deep.
  const stack: Element[] = [root];
  while (stack.length > 0) {
    const parent = stack.pop()!;
    const kept: ElementContent[] = [];
    for (const child of parent.children) {
      if (child.type === 'text') kept.push(child);
      if (child.type !== 'element') continue;
      if (ACTIVE_ELEMENTS.has(child.tagName)) {
        removed.add(`a <${child.tagName}>`);
        continue;
      }
      if (!DRAWING_ELEMENTS.has(child.tagName)) {
        if (!QUIET_ELEMENTS.has(child.tagName) && !child.tagName.includes(':')) removed.add(`an unknown <${child.tagName}>`);
        continue;
      }
      cleanElement(child, removed);
      // A drawing on a page links nowhere: a link is a group, and what lost its reference goes.
      if (child.tagName === 'a') {
        child.tagName = 'g';
        delete child.properties.href;
        delete child.properties.xLinkHref;
      }
      if ((child.tagName === 'image' || child.tagName === 'use') && child.properties.href === undefined && child.properties.xLinkHref === undefined) continue;
      if (child.tagName === 'style') {
        child.children = [{ type: 'text', value: sanitizeCss(textOf(child), removed) }];
      } else stack.push(child);
      kept.push(child);
    }
    parent.children = kept;
  }
  root.properties.xmlns = 'http://www.w3.org/2000/svg';
  if (usesXlink(root)) root.properties.xmlnsXLink = 'http://www.w3.org/1999/xlink';
  const xml = toXml(toXast({ type: 'root', children: [root] } as Root, { space: 'svg' }));
  return {
    data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}\n`, 'utf8'),
    width: length(root.properties.width),
    height: length(root.properties.height),
    removed: removed.words(),
  };
}

/** An element's attributes: the drawing's own, with references only inside the file. */
function cleanElement(node: Element, removed: Tally): void {
  for (const [key, value] of Object.entries(node.properties)) {
    const info = find(svgSchema, key);
    if (/^on[A-Z]/.test(key) || /^on/i.test(info.attribute)) {
      removed.add(`an ${info.attribute.toLowerCase()} handler`);
      delete node.properties[key];
      continue;
    }
    if (key === 'xmlns' || key === 'xmlnsXLink') continue;
    // Other namespaces (an editor's sodipodi:, inkscape:) and names SVG does not have go quietly.
    if (!info.space || (info.space !== 'svg' && info.space !== 'xlink' && info.space !== 'xml')) {
      delete node.properties[key];
      continue;
    }
    const text = Array.isArray(value) ? value.join(' ') : String(value);
    if (REFERENCES.has(key)) {
      const inside = text.trim().startsWith('#') || (node.tagName === 'image' && /^data:image\/(png|jpeg|gif|webp);/i.test(text.trim()));
      if (!inside) {
        removed.addReference(text);
        delete node.properties[key];
      }
      continue;
    }
    if (key === 'style') {
      const css = sanitizeCss(text, removed);
      if (css.trim()) node.properties.style = css;
      else delete node.properties.style;
      continue;
    }
    if (/url\s*\(/i.test(text)) {
      const css = sanitizeCss(text, removed);
      if (css !== text) node.properties[key] = css;
    }
  }
}

/** CSS without `@import` and with `url()` only for references inside the file. */
function sanitizeCss(css: string, removed: Tally): string {
  return css
    .replace(/@import\s+[^;]*;?/gi, () => {
      removed.add('an @import');
      return '';
    })
    .replace(/url\(\s*(['"]?)(.*?)\1\s*\)/gi, (whole, _quote: string, target: string) => {
      if (target.trim().startsWith('#')) return whole;
      removed.addReference(target);
      return 'none';
    })
    .replace(/expression\s*\(|javascript:|-moz-binding|behavior\s*:/gi, () => {
      removed.add('a CSS expression');
      return '';
    });
}

function textOf(node: Element): string {
  return node.children.map((c) => (c.type === 'text' ? c.value : '')).join('');
}

function usesXlink(root: Element): boolean {
  const stack: Element[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Object.keys(node.properties).some((k) => k.startsWith('xLink'))) return true;
    for (const c of node.children) if (c.type === 'element') stack.push(c);
  }
  return false;
}

/** A width or height in pixels, when given as a plain number (or px). */
function length(value: unknown): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$/.exec(String(value ?? ''));
  return match ? Math.round(Number(match[1])) : undefined;
}

/** What was removed, counted by kind, in the order first seen. */
class Tally {
  private readonly counts = new Map<string, number>();
  private readonly references: string[] = [];

  add(what: string): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
  }

  addReference(target: string): void {
    this.references.push(target.length > 60 ? `${target.slice(0, 60)}…` : target);
  }

  words(): string[] {
    const out = [...this.counts].map(([what, n]) => (n === 1 ? what : `${n} × ${what.replace(/^an? /, '')}`));
    if (this.references.length === 1) out.push(`a reference outside the image (${this.references[0]})`);
    else if (this.references.length > 1) out.push(`${this.references.length} references outside the image (${this.references.slice(0, 3).join(', ')}${this.references.length > 3 ? ', …' : ''})`);
    return out;
  }
}

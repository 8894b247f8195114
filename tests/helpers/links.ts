/**
 * Every link of a built PDF, EPUB and HTML page, checked from the outside: where it goes exists,
 * and nothing points at a file of the build machine.
 */
import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import path from 'node:path';
import { qpdfObjects, unzipList, unzipRead, type QpdfValue } from './tools.js';
import { elementsOf } from './chapter.js';

const WEB = /^(https?:|mailto:)/i;

export interface LinkReport {
  internal: number;
  external: number;
  problems: string[];
}

/** Link annotations: named destinations that exist and land on a page, URIs to the web only. */
export function pdfLinkReport(file: string): LinkReport {
  const { objects, pages, root } = qpdfObjects(file);
  const get = (v: QpdfValue | undefined): QpdfValue | undefined => (typeof v === 'string' && / R$/.test(v) ? objects.get(v) : v);
  const dict = (v: QpdfValue | undefined) => (get(v) ?? {}) as Record<string, QpdfValue>;
  const catalog = dict(root);
  const dests = new Map<string, QpdfValue>(Object.entries(dict(catalog['/Dests'])));
  // Destinations may also be in a name tree (keys are strings, "u:" for text in qpdf's JSON).
  const stack: QpdfValue[] = [dict(catalog['/Names'])['/Dests'] ?? null];
  while (stack.length) {
    const node = dict(stack.pop()!);
    const names = (node['/Names'] as QpdfValue[] | undefined) ?? [];
    for (let i = 0; i + 1 < names.length; i += 2) dests.set(`/${String(names[i]).replace(/^u:/, '')}`, names[i + 1]!);
    for (const kid of (node['/Kids'] as QpdfValue[] | undefined) ?? []) stack.push(kid);
  }
  const report: LinkReport = { internal: 0, external: 0, problems: [] };
  pages.forEach((page, i) => {
    for (const annot of (dict(page)['/Annots'] as QpdfValue[] | undefined) ?? []) {
      const a = dict(annot);
      if (a['/Subtype'] !== '/Link') continue;
      const action = dict(a['/A']);
      const target = a['/Dest'] ?? (action['/S'] === '/GoTo' ? action['/D'] : undefined);
      if (target !== undefined) {
        report.internal++;
        const array = typeof target === 'string' && target.startsWith('/') ? get(dests.get(target)) : get(target);
        const resolved = Array.isArray(array) ? array : (get((dict(array) as Record<string, QpdfValue>)['/D']) as QpdfValue[] | undefined);
        const pageRef = Array.isArray(resolved) ? String(resolved[0]) : undefined;
        if (!pageRef || !pages.includes(pageRef)) report.problems.push(`page ${i + 1}: a link to ${String(target)}, which goes to no page`);
        continue;
      }
      if (action['/S'] === '/URI') {
        report.external++;
        const uri = String(action['/URI']).replace(/^u:/, '');
        if (!WEB.test(uri)) report.problems.push(`page ${i + 1}: a link to ${uri}`);
        continue;
      }
      report.problems.push(`page ${i + 1}: a link of another kind (${JSON.stringify(a)})`);
    }
  });
  return report;
}

/** Each content document's links: to the web, or to a document of the book and an id in it. */
export function epubLinkReport(file: string): LinkReport {
  const entries = unzipList(file).filter((e) => e.endsWith('.xhtml'));
  const ids = new Map<string, Set<string>>();
  const links: Array<{ from: string; href: string }> = [];
  for (const entry of entries) {
    const tree = fromHtml(unzipRead(file, entry));
    const own = new Set<string>();
    for (const { node } of elementsOf(tree)) {
      if (typeof node.properties.id === 'string') own.add(node.properties.id);
      const href = hrefOf(node);
      if (href !== undefined) links.push({ from: entry, href });
    }
    ids.set(entry, own);
  }
  const report: LinkReport = { internal: 0, external: 0, problems: [] };
  for (const { from, href } of links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
      report.external++;
      if (!WEB.test(href)) report.problems.push(`${from}: a link to ${href}`);
      continue;
    }
    report.internal++;
    const [file_, fragment] = href.split('#') as [string, string | undefined];
    const target = file_ === '' ? from : path.posix.join(path.posix.dirname(from), decodeURIComponent(file_));
    const targetIds = ids.get(target);
    if (!targetIds) report.problems.push(`${from}: a link to ${href}, not a document of the book`);
    else if (fragment !== undefined && !targetIds.has(decodeURIComponent(fragment))) report.problems.push(`${from}: a link to ${href}, an id ${target} lacks`);
  }
  return report;
}

/** The page's links: to its own ids, or to the web. */
export function htmlLinkReport(html: string): LinkReport {
  const tree = fromHtml(html);
  const ids = new Set<string>();
  const hrefs: string[] = [];
  for (const { node } of elementsOf(tree)) {
    if (typeof node.properties.id === 'string') ids.add(node.properties.id);
    const href = hrefOf(node);
    if (href !== undefined) hrefs.push(href);
  }
  const report: LinkReport = { internal: 0, external: 0, problems: [] };
  for (const href of hrefs) {
    if (href.startsWith('#')) {
      report.internal++;
      if (!ids.has(decodeURIComponent(href.slice(1)))) report.problems.push(`a link to ${href}, an id the page lacks`);
    } else {
      report.external++;
      if (!WEB.test(href)) report.problems.push(`a link to ${href}`);
    }
  }
  return report;
}

function hrefOf(node: Element): string | undefined {
  return node.tagName === 'a' && typeof node.properties.href === 'string' ? node.properties.href : undefined;
}

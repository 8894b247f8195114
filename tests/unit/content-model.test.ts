/**
 * Raw HTML that is legal Markdown but not valid XHTML, repaired to the content model EPUBCheck
 * enforces. The checker below is written from HTML's content categories, apart from the repair's
 * own tables, so that a repair that leaves something out fails here.
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { describe, expect, it } from 'vitest';
import { checkArticles, elementsOf } from '../helpers/chapter.js';

/** HTML's phrasing content (the elements a chapter can hold after sanitizing). */
const PHRASING = 'a abbr b bdi bdo br cite code del dfn em i img input ins kbd mark q ruby s samp small span strong sub sup time u var wbr'.split(' ');
/** Elements whose content model is phrasing content only. */
const PHRASING_ONLY = [...PHRASING.filter((t) => !['a', 'del', 'ins'].includes(t)), 'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre'];
const OBSOLETE_ATTRIBUTES = ['align', 'valign', 'border', 'cellpadding', 'cellspacing', 'nowrap', 'bgcolor', 'name', 'longdesc', 'hspace', 'vspace', 'clear', 'compact', 'frame', 'rules', 'summary', 'charset', 'axis', 'char', 'charoff'];

function violations(tree: Root): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const insideLink = new Set<Element>();
  for (const { node, parent } of elementsOf(tree)) {
    const p = parent.type === 'element' ? parent : undefined;
    if (p && (insideLink.has(p) || p.tagName === 'a')) insideLink.add(node);
    if (p && PHRASING_ONLY.includes(p.tagName) && !PHRASING.includes(node.tagName)) problems.push(`<${node.tagName}> inside <${p.tagName}>`);
    if (p && (p.tagName === 'a' || p.tagName === 'del' || p.tagName === 'ins')) {
      // Transparent elements take the model of their parent; in these trees they sit in phrasing.
      if (!PHRASING.includes(node.tagName)) problems.push(`<${node.tagName}> inside <${p.tagName}>`);
    }
    if (insideLink.has(node) && (node.tagName === 'a' || node.tagName === 'input' || node.tagName === 'details')) problems.push(`interactive <${node.tagName}> inside a link`);
    if (p && (p.tagName === 'ul' || p.tagName === 'ol') && node.tagName !== 'li') problems.push(`<${node.tagName}> in a list`);
    if (p && p.tagName === 'dl' && !['dt', 'dd', 'div'].includes(node.tagName)) problems.push(`<${node.tagName}> in a <dl>`);
    if (p && p.tagName === 'tr' && !['td', 'th'].includes(node.tagName)) problems.push(`<${node.tagName}> in a row`);
    if (['tt', 'strike', 'center', 'font', 'big', 'picture', 'source', 'form', 'button'].includes(node.tagName)) problems.push(`<${node.tagName}> kept`);
    if (node.tagName === 'input' && !(p && (p.tagName === 'li' || p.tagName === 'p'))) problems.push('a form field outside a task list');
    if (node.tagName === 'details' && !(node.children.find((c) => c.type === 'element') as Element | undefined)?.tagName.startsWith('summary')) problems.push('<details> without a leading <summary>');
    for (const key of Object.keys(node.properties)) {
      const attribute = key.toLowerCase();
      if (OBSOLETE_ATTRIBUTES.includes(attribute)) problems.push(`${attribute}= on <${node.tagName}>`);
      if ((attribute === 'width' || attribute === 'height') && !/^\d+$/.test(String(node.properties[key]))) problems.push(`${attribute}="${String(node.properties[key])}"`);
    }
    if (p && ['ul', 'ol', 'dl', 'table', 'tbody', 'thead', 'tr'].includes(p.tagName)) {
      // Only white space may stand as text beside the parts of lists and tables.
    }
    const id = node.properties.id;
    if (typeof id === 'string') {
      if (ids.has(id)) problems.push(`duplicate id ${id}`);
      if (/\s/.test(id) || id === '') problems.push(`invalid id "${id}"`);
      ids.add(id);
    }
  }
  for (const { node } of elementsOf(tree)) {
    if (!['ul', 'ol', 'dl', 'table', 'tbody', 'thead', 'tr'].includes(node.tagName)) continue;
    for (const c of node.children) if (c.type === 'text' && c.value.trim() !== '') problems.push(`text "${c.value.trim()}" in <${node.tagName}>`);
  }
  return problems;
}

const HOSTILE = `<b>Bold left open

Paragraph after the open bold.

---

## Heading after the open bold

<a href="https://example.com/">A link left open

- a list item inside the open link

<span class="x">A span left open

> A quote inside the span.

<pre>
Preformatted

<p>with a paragraph inside</p>
</pre>

<details>
Details without a summary.
</details>

<form action="https://example.com/"><input type="text" name="q"><button>Send</button></form>

<div id="dup">First</div>

<div id="dup">Second</div>

<p align="center">Centred</p>

<table border="1" width="100%"><tr><td align="right" valign="top" nowrap>cell</td><td width="50%">other</td></tr></table>

<tt>teletype</tt> <strike>struck</strike>

<picture><source srcset="https://example.com/dark.png"><img src="../images/a.png" alt="A" width="100%"></picture>

<ul><li>item</li>stray text<p>a paragraph in a list</p></ul>

<dl><dt>term</dt>stray<dd>definition</dd></dl>

<time datetime="not a date">a time</time>

<h2><div>A block in a heading</div></h2>

<a href="https://example.com/outer">outer <a href="https://example.com/inner">inner</a></a>
`;

describe('raw HTML repaired to the XHTML content model', () => {
  it('leaves nothing in a chapter that XHTML does not allow, and keeps every word', async () => {
    const { pack } = await checkArticles({ a: HOSTILE }, { 'images/a.png': pngBytes() });
    const tree = pack.chapters[0]!.tree;
    expect(violations(tree)).toEqual([]);
    const text = toString(tree);
    for (const words of ['Bold left open', 'Paragraph after the open bold.', 'a list item inside the open link', 'A quote inside the span.', 'with a paragraph inside', 'Details without a summary.', 'Send', 'First', 'Second', 'Centred', 'cell', 'other', 'teletype', 'struck', 'stray text', 'a paragraph in a list', 'stray', 'definition', 'a time', 'A block in a heading', 'outer', 'inner']) {
      expect(text, words).toContain(words);
    }
  });

  it('the checker above finds what the repair removes (a chapter of the same HTML, repair left out, fails it)', async () => {
    // The same tree before repair: parsed and sanitized only. Built here by hand from the checker's
    // own categories: a block inside a phrasing element, an obsolete attribute, a duplicate id.
    const broken: Root = {
      type: 'root',
      children: [
        { type: 'element', tagName: 'b', properties: {}, children: [{ type: 'element', tagName: 'p', properties: { id: 'x' }, children: [] }] },
        { type: 'element', tagName: 'p', properties: { id: 'x', align: 'center' }, children: [] },
      ],
    };
    expect(violations(broken).sort()).toEqual(['<p> inside <b>', 'align= on <p>', 'duplicate id x'].sort());
  });

  it('pushes an open formatting element down into the blocks it ran over, so they look as before', async () => {
    const { html } = await checkArticles({ a: '<b>Bold\n\nAfter.\n\n- item\n' });
    expect(html.a).toContain('<p><b>Bold</b></p>');
    expect(html.a).toContain('<p><b>After.</b></p>');
    expect(html.a).toMatch(/<li><b>item<\/b><\/li>/);
  });

  it('gives <details> the summary browsers show, keeps a summary that is there, and says nothing of either', async () => {
    const { html, messages } = await checkArticles({ a: '<details>\nHidden.\n</details>\n\n<details><summary>Mine</summary>\n\nShown.\n\n</details>' });
    expect(html.a).toMatch(/<details><summary>Details<\/summary>/);
    expect(html.a).toMatch(/<details><summary>Mine<\/summary>/);
    expect(messages.filter((m) => m.includes('details'))).toEqual([]);
  });

  it('removes form fields from raw HTML with a warning at their position, and keeps task list checkboxes', async () => {
    const { html, messages } = await checkArticles({ a: 'Text.\n\n<form><input type="text" value="q"></form>\n\n- [ ] open task\n- [x] done task\n' });
    expect(messages).toContain('articles/a.md:7:7 warning removed a form field (<input>) from raw HTML (markdown/html)');
    expect(html.a!.match(/<input/g)).toHaveLength(2);
    expect(html.a).toMatch(/<li class="task-list-item"><input type="checkbox" disabled aria-label="[^"]*">/);
  });

  it('turns obsolete presentation into classes the stylesheet knows, and drops what has no HTML5 meaning', async () => {
    const { html } = await checkArticles({ a: '<p align="center">C</p>\n\n| L | R |\n| :- | -: |\n| 1 | 2 |\n\n<img src="../images/a.png" alt="A" width="100%" height="20" border="0">' }, { 'images/a.png': pngBytes() });
    expect(html.a).toContain('<p class="align-center">C</p>');
    expect(html.a).toMatch(/<th class="align-left">L<\/th>/);
    expect(html.a).toMatch(/<td class="align-right">2<\/td>/);
    expect(html.a).toMatch(/<img src="images\/a.png" alt="A" height="20">/);
  });

  // Deeper raw HTML than 500 levels is refused before parsing (HTML's parser and hast's converters recurse).
  it('repairs nesting hundreds deep', async () => {
    const deep = `${'<span>'.repeat(450)}deep${'</span>'.repeat(450)}\n\n${'<b>'.repeat(450)}\n\nA block under 450 open bolds.`;
    const { pack } = await checkArticles({ a: deep });
    expect(violations(pack.chapters[0]!.tree)).toEqual([]);
    expect(toString(pack.chapters[0]!.tree)).toContain('A block under 450 open bolds.');
  });
});

/** A 1×1 PNG. */
function pngBytes(): Buffer {
  return Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
}

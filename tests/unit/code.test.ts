/**
 * Code as the transform leaves it for every writer: highlighted for the language its fence names,
 * split into line boxes, its characters known for the fonts; web addresses with break
 * opportunities; the source position of each block kept for print's reports.
 */
import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { describe, expect, it } from 'vitest';
import { facesFor } from '../../src/fonts.js';
import { codeLines } from '../../src/transform/code-lines.js';
import { isCovered } from '../../src/validate/glyphs.js';
import { checkArticles, elementsOf } from '../helpers/chapter.js';

/** Every element below `tree`, parents before children, in the order of the document (small trees only: recursive). */
function inDocumentOrder(tree: Root | Element): Element[] {
  return tree.children.flatMap((c) => (c.type === 'element' ? [c, ...inDocumentOrder(c)] : []));
}

const spans = (html: string | undefined, cls: string) => [...(html ?? '').matchAll(new RegExp(`<span class="${cls}">([^<]*)</span>`, 'g'))].map((m) => m[1]);

describe('highlighting', () => {
  it('marks keywords, strings, comments and titles of the language the fence names, aliases included', async () => {
    const { html } = await checkArticles({
      a: '```js\nconst x = "hi"; // note\nfunction f() {}\n```\n\n```ts\nlet y: number = 1;\n```\n\n```python\ndef g(): return None\n```\n',
    });
    expect(spans(html.a, 'hljs-keyword')).toEqual(expect.arrayContaining(['const', 'function', 'let', 'def', 'return']));
    expect(spans(html.a, 'hljs-string')).toContain('"hi"');
    expect(spans(html.a, 'hljs-comment')).toContain('// note');
    expect(spans(html.a, 'hljs-title function_')).toContain('f');
  });

  it('reads a language beyond the common ones by its own name, and leaves unknown ones and bare fences alone', async () => {
    const { html, diagnostics } = await checkArticles({
      a: '```powershell\nGet-ChildItem -Path C:\\\n```\n\n```nosuchlanguage\nconst x = 1;\n```\n\n```\nconst y = 2;\n```\n\n```../../etc/passwd\nconst z = 3;\n```\n',
    });
    expect(html.a).toMatch(/<span class="hljs-built_in">Get-ChildItem<\/span>/);
    const pres = html.a!.split('<pre>').slice(2);
    for (const pre of pres) expect(pre).not.toContain('hljs-');
    expect(diagnostics).toEqual([]);
  });

  it('keeps the text as written, character for character', async () => {
    const source = 'const route = createRoute({ path: "/a/b", handler: (req) => req.body }); // ä ✓ <tag> & done';
    const { pack } = await checkArticles({ a: `\`\`\`js\n${source}\n\`\`\`\n` });
    const pre = elementsOf(pack.chapters[0]!.tree).find((e) => e.node.tagName === 'pre')!.node;
    expect(toString(pre)).toBe(`${source}\n`);
  });
});

describe('code lines', () => {
  it('gives each source line a box of its own, with its newline, spans cut at the line ends', async () => {
    const { html } = await checkArticles({ a: '```js\n/* one\n   two */\nx;\n\nlast\n```\n' });
    expect(html.a).toContain(
      '<pre><code class="language-js"><span class="code-line"><span class="hljs-comment">/* one\n</span></span><span class="code-line" style="--indent:3ch"><span class="hljs-comment">   two */</span>\n</span><span class="code-line">x;\n</span><span class="code-line">\n</span><span class="code-line">last\n</span></code></pre>',
    );
  });

  it('splits raw HTML <pre> too, keeping an id on the first part only', () => {
    const el = (tagName: string, properties: Element['properties'], children: ElementContent[]): Element => ({ type: 'element', tagName, properties, children });
    const lines = codeLines([el('b', { id: 'x' }, [{ type: 'text', value: 'a\nb' }]), { type: 'text', value: '\nc' }, el('br', {}, []), { type: 'text', value: 'd' }]);
    const root: Root = { type: 'root', children: lines };
    expect(lines.map((l) => toString(l))).toEqual(['a\n', 'b\n', 'c\n', 'd']);
    expect(toString(root)).toBe('a\nb\nc\nd');
    const bs = inDocumentOrder(root).filter((e) => e.tagName === 'b');
    expect(bs.map((b) => b.properties.id)).toEqual(['x', undefined]);
  });

  it('walks without recursion: a pre nested thousands deep', () => {
    let node: ElementContent = { type: 'text', value: 'deep\ntext' };
    for (let i = 0; i < 5000; i++) node = { type: 'element', tagName: 'span', properties: {}, children: [node] };
    const lines = codeLines([node]);
    expect(lines.map((l) => toString(l))).toEqual(['deep\n', 'text']);
  });
});

describe('web addresses', () => {
  it('get break opportunities after slashes and before punctuation, the text unchanged', async () => {
    const url = 'https://example.org/documentation/reference/a-very-long-page_name.html?query=value&x=1';
    const { html, pack } = await checkArticles({ a: `<${url}> and [short](https://example.org/x) and https://example.org/short` });
    expect(html.a).toContain('https://example<wbr>.org/<wbr>documentation/<wbr>reference/<wbr>a<wbr>-very<wbr>-long<wbr>-page<wbr>_name<wbr>.html<wbr>?query<wbr>=value<wbr>&#x26;x<wbr>=1</a>');
    expect(toString(pack.chapters[0]!.tree)).toContain(url);
    expect(html.a).toContain('>short</a>');
    expect(html.a).toContain('>https://example.org/short</a>');
  });
});

describe('source positions', () => {
  it('keeps the line and column of each block, in document order, after the tree has dropped its own', async () => {
    const { pack } = await checkArticles({ a: 'Para.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```\ncode\n```\n\n- item\n' });
    const chapter = pack.chapters[0]!;
    const tags = inDocumentOrder(chapter.tree)
      .map((e) => e.tagName)
      .filter((t) => ['table', 'pre', 'img', 'p', 'li', 'dt', 'dd', 'blockquote', 'figure', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(t));
    expect(chapter.positions.length).toBe(tags.length * 2);
    const at = (tag: string) => {
      const i = tags.indexOf(tag);
      return [chapter.positions[2 * i], chapter.positions[2 * i + 1]];
    };
    // Three lines of front matter and a blank line come before the body.
    expect(at('table')).toEqual([7, 1]);
    expect(at('pre')).toEqual([11, 1]);
    expect(at('li')).toEqual([15, 1]);
  });
});

describe('fonts for code', () => {
  it('are carried by an EPUB or web page only for the text of code', () => {
    const code = (faces: ReturnType<typeof facesFor>) => faces.filter((f) => f.family === 'Source Code Pro');
    expect(code(facesFor('Plain text.', ''))).toEqual([]);
    expect(code(facesFor('Plain text and x = 1', 'x = 1')).map((f) => `${f.subset}-${f.weight}-${f.style}`)).toEqual([
      'latin-400-normal',
      'latin-400-italic',
      'latin-600-normal',
      'latin-700-normal',
    ]);
  });

  it('are covered by the glyph check: box drawing, which only the monospace face has, needs no warning', () => {
    for (const ch of '├──└│') expect(isCovered(ch.codePointAt(0)!), ch).toBe(true);
  });
});

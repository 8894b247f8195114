/**
 * rehype plugin: code blocks whose fence names a language (```js) are highlighted at build time,
 * as `span.hljs-*` elements styled by the template (no script in any output). A language
 * highlight.js does not know leaves the block as it is: a fence's word is often no language
 * (`text`, `console`, `output`).
 */
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { SKIP, walkElements } from '../tree-walk.js';

type Highlighter = typeof import('./highlighter.js');

let loading: Promise<Highlighter> | undefined;

/** The highlighter, loaded once, by the first chapter that names a language on a fence. */
function highlighter(): Promise<Highlighter> {
  loading ??= import('./highlighter.js');
  return loading;
}

/** The language a `<code>` in a `<pre>` is marked with (`language-js` from the fence ```js). */
export function languageOf(code: Element): string | undefined {
  const classes = code.properties.className;
  if (!Array.isArray(classes)) return undefined;
  for (const c of classes) if (typeof c === 'string' && c.startsWith('language-')) return c.slice('language-'.length).toLowerCase();
  return undefined;
}

export function rehypeHighlight() {
  return async (tree: Root) => {
    const blocks: Array<{ code: Element; language: string }> = [];
    walkElements(tree, (node) => {
      if (node.tagName !== 'pre') return undefined;
      const code = node.children.length === 1 && node.children[0]!.type === 'element' && node.children[0]!.tagName === 'code' ? node.children[0]! : undefined;
      const language = code && languageOf(code);
      if (code && language) blocks.push({ code, language });
      return SKIP;
    });
    if (blocks.length === 0) return;
    const { canHighlight, highlight } = await highlighter();
    for (const { code, language } of blocks) {
      // Only blocks of plain text: Markdown's fences always are; raw HTML's <pre><code> may hold links or emphasis.
      if (!code.children.every((c) => c.type === 'text') || !canHighlight(language)) continue;
      code.children = highlight(language, toString(code)).children as Element['children'];
    }
  };
}

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

let loaded: Highlighter | undefined;

/**
 * The highlighter, loaded once, before the transform, in a build whose Markdown names a language
 * on a fence: a pack without code never parses its grammars. The transform itself stays
 * synchronous, so that --timeout can stop it wherever it is (see deadline.ts).
 */
export async function loadHighlighter(): Promise<void> {
  loaded ??= await import('./highlighter.js');
}

/**
 * Whether Markdown may hold code marked with a language: a fence that names one (``` js,
 * ~~~python) or raw HTML's `<code class="language-js">`. Then load the highlighter.
 */
export function namesAFenceLanguage(markdown: string): boolean {
  return /^[ \t>]*(`{3,}|~{3,})[ \t]*[^\s`~]/m.test(markdown) || markdown.includes('language-');
}

/** The language a `<code>` in a `<pre>` is marked with (`language-js` from the fence ```js). */
export function languageOf(code: Element): string | undefined {
  const classes = code.properties.className;
  if (!Array.isArray(classes)) return undefined;
  for (const c of classes) if (typeof c === 'string' && c.startsWith('language-')) return c.slice('language-'.length).toLowerCase();
  return undefined;
}

export function rehypeHighlight() {
  return (tree: Root) => {
    const blocks: Array<{ code: Element; language: string }> = [];
    walkElements(tree, (node) => {
      if (node.tagName !== 'pre') return undefined;
      const code = node.children.length === 1 && node.children[0]!.type === 'element' && node.children[0]!.tagName === 'code' ? node.children[0]! : undefined;
      const language = code && languageOf(code);
      if (code && language) blocks.push({ code, language });
      return SKIP;
    });
    if (blocks.length === 0) return;
    if (!loaded) throw new Error('a chapter has code to highlight, but the highlighter was not loaded before the transform');
    const { canHighlight, highlight } = loaded;
    for (const { code, language } of blocks) {
      // Only blocks of plain text: Markdown's fences always are; raw HTML's <pre><code> may hold links or emphasis.
      if (!code.children.every((c) => c.type === 'text') || !canHighlight(language)) continue;
      code.children = highlight(language, toString(code)).children as Element['children'];
    }
  };
}

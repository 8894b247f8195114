/**
 * The syntax highlighter (lowlight: highlight.js's grammars, giving hast instead of HTML),
 * loaded only by a build that has code to highlight: its 37 common grammars cost some 10 ms to
 * load and 20 ms to register, which a pack without code should not pay.
 */
import { createRequire } from 'node:module';
import type { Root } from 'hast';
import { common, createLowlight } from 'lowlight';

type Grammar = Parameters<ReturnType<typeof createLowlight>['register']>[1];

const lowlight = createLowlight(common);
const require = createRequire(import.meta.url);
/** Languages beyond the common ones that were asked for and are not in highlight.js. */
const unknown = new Set<string>();

/**
 * Whether `language` (a fence's info word, lower-cased) can be highlighted: a common language or
 * one of its aliases (`js`, `ts`, `sh`, `html`, `yml`, `py`...), or any other language of
 * highlight.js by its own name (`powershell`, `dockerfile`, `haskell`), read when first asked for.
 */
export function canHighlight(language: string): boolean {
  if (lowlight.registered(language)) return true;
  if (unknown.has(language) || !/^[a-z0-9][a-z0-9-]*$/.test(language)) return false;
  try {
    // The CommonJS build of the grammar: it loads synchronously, from the installed package.
    const grammar = require(`highlight.js/lib/languages/${language}`) as Grammar | { default: Grammar };
    lowlight.register(language, typeof grammar === 'function' ? grammar : grammar.default);
    return true;
  } catch {
    unknown.add(language);
    return false;
  }
}

/** `text` as highlight.js reads it in `language`: text and `span.hljs-*` elements. */
export function highlight(language: string, text: string): Root {
  return lowlight.highlight(language, text, { prefix: 'hljs-' });
}

/**
 * rehype plugin: a link whose text is a web address gets break opportunities (`<wbr>`) after its
 * slashes and before its punctuation, as the Chicago Manual of Style breaks addresses: a long one
 * then runs on from the text before it and breaks where a reader expects, instead of leaving a
 * gap in a justified line and being cut anywhere. The text itself is unchanged.
 */
import type { ElementContent, Root } from 'hast';
import { walkElements } from '../tree-walk.js';

/** Shorter addresses fit on a line as they are. */
const LONG = 30;

export function rehypeUrlBreaks() {
  return (tree: Root) => {
    walkElements(tree, (node) => {
      if (node.tagName !== 'a' || node.children.length !== 1) return undefined;
      const only = node.children[0]!;
      if (only.type !== 'text' || only.value.length < LONG || !/^(https?|ftp):\/\/\S+$/i.test(only.value)) return undefined;
      node.children = withBreaks(only.value);
      return undefined;
    });
  };
}

/** `text` cut after each run of slashes and before `.`, `?`, `#`, `&`, `=`, `-`, `_`, `~`, `%`, with a `<wbr>` at each cut. */
function withBreaks(text: string): ElementContent[] {
  const scheme = /^[a-z]+:\/\//i.exec(text)![0];
  const pieces = text.slice(scheme.length).split(/(?<=\/)(?!\/)|(?=[.?#&=\-_~%])/);
  const out: ElementContent[] = [{ type: 'text', value: scheme + pieces[0]! }];
  for (let i = 1; i < pieces.length; i++) out.push({ type: 'element', tagName: 'wbr', properties: {}, children: [] }, { type: 'text', value: pieces[i]! });
  return out;
}

/**
 * Raw HTML in Markdown, parsed into the tree (rehype-raw). Re-parsing means running the whole
 * tree through an HTML parser, a fifth of the transform's time; most articles have no raw HTML,
 * and for them the tree is already what the parser would give.
 */
import type { Root } from 'hast';
import rehypeRaw from 'rehype-raw';
import type { VFile } from 'vfile';
import { EXIT, walkNodes } from '../tree-walk.js';

export function rehypeRawWhenPresent() {
  const parse = rehypeRaw();
  return (tree: Root, file: VFile): Root => {
    let present = false;
    walkNodes(tree, (node) => {
      if (node.type !== 'raw') return undefined;
      present = true;
      return EXIT;
    });
    return present ? (parse(tree, file) as Root) : tree;
  };
}

/** The Markdown reader: CommonMark + GFM (tables, footnotes, strikethrough) + directives + front matter. */
import type { Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkDirective);

export function parseMarkdown(text: string): Root {
  return parser.runSync(parser.parse(text)) as Root;
}

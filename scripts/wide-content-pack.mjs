// A pack of what print cuts off when nothing takes care: a 300-character line of code, a
// 200-character web address, a table of 30 columns, a picture 3000 pixels wide, a long word,
// and code in several languages to highlight. For the tests and to look at by hand.
// Usage: node scripts/wide-content-pack.mjs DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makePng } from './generate-pack.mjs';

/** The 300-character line of code. */
export const LONG_CODE_LINE = `const route = createRoute({ ${Array.from({ length: 20 }, (_, i) => `option${i}: "value-${i}"`).join(', ')}`.slice(0, 296) + ' });';
/** The 200-character web address. */
export const LONG_URL = `https://example.org/${'documentation/'.repeat(6)}reference/${'a'.repeat(60)}?query=${'b'.repeat(20)}`.slice(0, 200);
export const TABLE_COLUMNS = 30;
/** A word too long for any line. */
export const LONG_WORD = `Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft${'x'.repeat(40)}`;

export function wideContentPack(dir) {
  const header = `| ${Array.from({ length: TABLE_COLUMNS }, (_, i) => `Col${i + 1}`).join(' | ')} |`;
  const rule = `|${' --- |'.repeat(TABLE_COLUMNS)}`;
  const rows = [1, 2, 3].map((r) => `| ${Array.from({ length: TABLE_COLUMNS }, (_, i) => `r${r}c${i + 1}`).join(' | ')} |`);
  const article = `---
title: Wide content
---

Some text before the code.

\`\`\`js
// A line far longer than the page is wide:
${LONG_CODE_LINE}
function greet(name) {
  return \`Hello, \${name}!\`; // a template string
}
\`\`\`

A link written out: <${LONG_URL}>.

And a long word: ${LONG_WORD}.

${header}
${rule}
${rows.join('\n')}

![A very wide chart](../images/wide.png)

\`\`\`python
def mean(values: list[float]) -> float:
    """The arithmetic mean."""
    return sum(values) / len(values) if values else 0.0
\`\`\`

\`\`\`sh
npm install --save briefpack && npx briefpack build content --out output
\`\`\`

\`\`\`json
{ "name": "briefpack", "version": "0.1.0", "private": true }
\`\`\`

\`\`\`diff
- const old = true;
+ const replaced = false;
\`\`\`

\`\`\`text
Plain text, no highlighting.
\`\`\`

Inline \`code\` in a sentence.
`;
  const files = {
    'pack.yaml': 'title: Wide Content\ndate: 2026-01-15\norganisation: Test Unit\narticles:\n  - wide\n',
    'articles/wide.md': article,
    'images/wide.png': makePng(3000, 400),
  };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/wide-content-pack.mjs DIR');
    process.exit(2);
  }
  wideContentPack(dir);
  console.log(`wrote ${dir}`);
}

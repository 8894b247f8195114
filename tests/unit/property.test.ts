/**
 * Property tests: random Markdown with raw HTML and unusual Unicode never makes the pipeline
 * throw anything but a BuildFailure, and every EPUB content document it writes is well-formed XML.
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/build.js';
import { loadTemplate } from '../../src/compose/template.js';
import { BuildFailure } from '../../src/diagnostics.js';
import { renderEpub } from '../../src/epub/epub.js';
import { unzipList, unzipRead, xmlProblem } from '../helpers/tools.js';
import { MINIMAL_MANIFEST, writePack } from '../helpers/pack.js';
import { tempDir } from '../helpers/cli.js';
import { writeFileSync } from 'node:fs';

const oddText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u200b\u200c\u200d', '\u202e reversed \u202c', 'مرحبا بالعالم', 'שלום', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'e\u0301\u0301\u0301', '<', '&', ']]>', '\u0000', '\uFFFE', '--', '"\''),
);

const rawHtml = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<div><p>unclosed',
    '</div></div>',
    '<table><tr><td>cell',
    '<iframe src="http://example.com"></iframe>',
    '<p lang="ar">نص</p>',
    '<br><hr><wbr>',
    '<svg><circle r="1"/></svg>',
    '<!-- comment -->',
    '<![CDATA[ x ]]>',
    '<math><mi>x</mi></math>',
    '<details><summary>s</summary>d</details>',
  ),
  fc.tuple(fc.constantFrom('p', 'span', 'div', 'b', 'em', 'abbr', 'x-custom'), oddText).map(([t, s]) => `<${t} title="${s.replace(/"/g, '')}">${s}</${t}>`),
);

const block = fc.oneof(
  oddText,
  oddText.map((s) => `## ${s}`),
  oddText.map((s) => `- ${s}\n- *${s}*`),
  oddText.map((s) => `> ${s}`),
  oddText.map((s) => `| a | b |\n| --- | --- |\n| ${s.replace(/\|/g, '')} | x |`),
  oddText.map((s) => `Text with a note.[^n]\n\n[^n]: ${s}`),
  oddText.map((s) => `\`\`\`\n${s}\n\`\`\``),
  oddText.map((s) => `[link](${encodeURI(s)})`),
  fc.constant('::sidebar{#nowhere}'),
  fc.constant(':::container\ntext\n:::'),
  rawHtml,
);

const article = fc.array(block, { minLength: 1, maxLength: 8 }).map((blocks) => `---\ntitle: Random\n---\n\n${blocks.join('\n\n')}\n`);


describe('random Markdown', () => {
  it('never throws anything but a BuildFailure, and yields well-formed EPUB XHTML', async () => {
    const template = loadTemplate('default', tempDir());
    await fc.assert(
      fc.asyncProperty(article, async (markdown) => {
        const dir = writePack({ 'pack.yaml': MINIMAL_MANIFEST, 'articles/one.md': markdown });
        let pack;
        try {
          pack = (await check({ packDir: dir })).pack;
        } catch (error) {
          expect(error).toBeInstanceOf(BuildFailure);
          return;
        }
        const bytes = await renderEpub(pack, template, { date: new Date(0), generator: 'test', cover: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]) });
        const file = path.join(dir, 'out.epub');
        writeFileSync(file, bytes);
        for (const entry of unzipList(file).filter((e) => e.endsWith('.xhtml') || e.endsWith('.opf') || e.endsWith('.ncx'))) {
          const problem = xmlProblem(unzipRead(file, entry));
          expect(problem, `${entry} of:\n${markdown}`).toBeUndefined();
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 60), seed: Number(process.env.PROPERTY_SEED ?? 20261126) },
    );
  });
});

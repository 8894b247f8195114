/**
 * A corpus of nasty inputs that must all build, in every format: deep nesting, 10,000 footnotes,
 * a 5 MB article, endless words and URLs, a 2,000-row table, zero-width and bidi characters.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { briefpack, tempDir } from '../helpers/cli.js';
import { writePack } from '../helpers/pack.js';
import { pageCount, unzipList, unzipRead, xmlProblem } from '../helpers/tools.js';

const PARAGRAPH = 'The delegation met the ministers, and the talks ran late into the night on every open file. ';

const corpus: Record<string, () => string> = {
  'deep nesting': () =>
    `${'> '.repeat(200)}a quote nested two hundred deep\n\n${Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n')}\n\n${'<div>'.repeat(300)}x${'</div>'.repeat(300)}\n`,
  '10,000 footnotes': () =>
    `${Array.from({ length: 10_000 }, (_, i) => `Claim ${i}.[^${i}]`).join(' ')}\n\n${Array.from({ length: 10_000 }, (_, i) => `[^${i}]: Source ${i}.`).join('\n')}\n`,
  'a 5 MB article': () => {
    const parts: string[] = [];
    let size = 0;
    for (let n = 0; size < 5 * 1024 * 1024; n++) {
      const block = `${n % 25 === 0 ? `## Part ${n / 25 + 1}\n\n` : ''}${PARAGRAPH.repeat(8)}\n\n`;
      parts.push(block);
      size += block.length;
    }
    return parts.join('');
  },
  'very long words and URLs': () =>
    `${'x'.repeat(5000)}\n\nhttps://example.org/${'segment/'.repeat(1000)}\n\n[a link](https://example.org/${'q'.repeat(4000)})\n\n${'Antidisestablishmentarianism'.repeat(200)}\n`,
  'a 2,000-row table': () =>
    `| Row | Region | Value | Note |\n| --- | --- | --- | --- |\n${Array.from({ length: 2000 }, (_, i) => `| ${i} | Region ${i % 17} | ${(i * 37) % 1000} | note ${i} |`).join('\n')}\n`,
  'zero-width and right-to-left characters': () =>
    'zero\u200bwidth\u200c joiners\u200d\u2060 and \u202eoverride\u202c and \u2067isolate\u2069 marks\u200e\u200f.\n\n<p lang="ar">مرحبا بالعالم\u200f</p>\n\nمرحبا in the middle of English.\n',
};


describe('nasty inputs all build', () => {
  it.each(Object.keys(corpus))('%s', (name) => {
    const dir = writePack({
      'pack.yaml': 'title: Nasty\ndate: 2026-01-01\norganisation: Test\narticles: [nasty]\n',
      'articles/nasty.md': `---\ntitle: ${JSON.stringify(name)}\n---\n\n${corpus[name]!()}`,
    });
    const out = tempDir();
    // --timeout covers the whole build: 10,000 footnotes take Markdown's reader alone 10-20 s here.
    const r = briefpack(['build', dir, '--out', out, '--timeout', '600']);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(readdirSync(out).filter((n) => !n.startsWith('.')).sort()).toEqual(['manifest.json', 'nasty.epub', 'nasty.html', 'nasty.pdf']);
    expect(pageCount(path.join(out, 'nasty.pdf'))).toBeGreaterThanOrEqual(3);
    const epub = path.join(out, 'nasty.epub');
    for (const entry of unzipList(epub).filter((e) => e.endsWith('.xhtml'))) {
      expect(xmlProblem(unzipRead(epub, entry)), entry).toBeUndefined();
    }
    // Ten minutes, as the build's own --timeout: 10,000 footnotes print in about 90 s on a quiet
    // two-core machine and took over 300 s on one loaded 20 deep.
  }, 620_000);
});

/**
 * src/load/manifest.ts with src/schema/manifest.ts, fields.ts and report.ts: pack.yaml as read,
 * its defaults, and exactly what an author is told about each mistake, and where.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.js';
import { loadManifest } from '../../src/load/manifest.js';
import { writePack } from '../helpers/pack.js';

const BASE = 'title: Syria and Russia\ndate: 2026-11-26\norganisation: Desk\narticles:\n  - one\n';

async function load(yaml: string | undefined) {
  const dir = writePack(yaml === undefined ? {} : { 'pack.yaml': yaml });
  const diagnostics = new Diagnostics();
  const manifest = await loadManifest(dir, diagnostics);
  return {
    dir,
    manifest,
    problems: diagnostics.list.map((d) => `${d.file ? path.basename(d.file) : '-'}:${d.position?.line}:${d.position?.column} ${d.severity} ${d.rule} ${d.message}`),
  };
}

describe('a good pack.yaml', () => {
  it('gives the defaults the README promises: language en, template default, A4, single-sided, no bleed', async () => {
    const { manifest, problems, dir } = await load(BASE);
    expect(problems).toEqual([]);
    expect(manifest).toMatchObject({
      title: 'Syria and Russia',
      date: '2026-11-26',
      organisation: 'Desk',
      articles: ['one'],
      language: 'en',
      template: 'default',
      paper: 'a4',
      duplex: false,
      slug: 'syria-and-russia',
      root: dir,
      articlePositions: [{ line: 5, column: 5 }],
    });
    expect(manifest?.bleed).toBeUndefined();
    expect(manifest?.edition).toBeUndefined();
    expect(manifest?.author).toBeUndefined();
  });

  it('takes every field as written: an unquoted edition and date, one author or several, trimmed texts', async () => {
    const { manifest, problems } = await load(
      `title: "  Syria and Russia  "\nsubtitle: A reset\ndate: "2024-02-29"\nedition: 3\norganisation: Desk\nauthor: A. Analyst\nclassification: OFFICIAL\nlanguage: en-GB\n` +
        `description: D\nkeywords: [Syria, Russia]\narticles: [one, two]\ntemplate: compact\npaper: letter\nduplex: true\nbleed: 3.5mm\n`,
    );
    expect(problems).toEqual([]);
    expect(manifest).toMatchObject({
      title: 'Syria and Russia',
      subtitle: 'A reset',
      date: '2024-02-29',
      edition: '3',
      author: ['A. Analyst'],
      classification: 'OFFICIAL',
      language: 'en-GB',
      keywords: ['Syria', 'Russia'],
      articles: ['one', 'two'],
      template: 'compact',
      paper: 'letter',
      duplex: true,
      bleed: '3.5mm',
      articlePositions: [
        { line: 11, column: 12 },
        { line: 11, column: 17 },
      ],
    });
    const several = await load(`${BASE}author: [A, B]\nedition: Autumn\n`);
    expect(several.manifest).toMatchObject({ author: ['A', 'B'], edition: 'Autumn' });
  });

  it('is named "pack" in file names when its title has no letter or digit to make a name of', async () => {
    const { manifest } = await load(BASE.replace('Syria and Russia', '"!!!"'));
    expect(manifest?.slug).toBe('pack');
  });

  it('accepts the language tags a pack may be written in', async () => {
    for (const tag of ['ar', 'fr-CA', 'zh-Hant-TW', 'ast']) {
      const { problems } = await load(`${BASE}language: ${tag}\n`);
      expect(problems, tag).toEqual([]);
    }
  });
});

describe('a bad pack.yaml', () => {
  it.each([
    ['no pack.yaml at all', undefined, ['pack.yaml:undefined:undefined error manifest/missing no pack.yaml in the pack folder']],
    ['an empty one', '', ['pack.yaml:1:1 error file/empty pack.yaml is empty']],
    ['one of comments only', '# later\n', ['pack.yaml:1:1 error file/empty pack.yaml is empty']],
    ['no title', BASE.replace('title: Syria and Russia\n', ''), ['pack.yaml:1:1 error manifest/invalid title is required']],
    ['a blank title', BASE.replace('title: Syria and Russia', 'title: "   "'), ['pack.yaml:1:8 error manifest/invalid title must not be empty']],
    ['a title that is a list', BASE.replace('title: Syria and Russia', 'title: [a, b]'), ['pack.yaml:1:8 error manifest/invalid title must be a text, not a list']],
    ['a title that is a mapping', BASE.replace('title: Syria and Russia', 'title: {a: b}'), ['pack.yaml:1:8 error manifest/invalid title must be a text, not a mapping']],
    ['a title that is null', BASE.replace('title: Syria and Russia', 'title: null'), ['pack.yaml:1:8 error manifest/invalid title must be a text, not nothing (null)']],
    ['a day the calendar lacks', BASE.replace('2026-11-26', '2026-02-30'), ['pack.yaml:2:7 error frontmatter/invalid date must be a real date written YYYY-MM-DD']],
    ['a date written otherwise', BASE.replace('2026-11-26', '"26 November 2026"'), ['pack.yaml:2:7 error frontmatter/invalid date must be a real date written YYYY-MM-DD']],
    ['a month for a date', BASE.replace('2026-11-26', '2026-11'), ['pack.yaml:2:7 error frontmatter/invalid date must be a real date written YYYY-MM-DD']],
    ['a date that is a number', BASE.replace('2026-11-26', '2026'), ['pack.yaml:2:7 error manifest/invalid date must be a date written YYYY-MM-DD']],
    ['no articles', BASE.replace('articles:\n  - one\n', 'articles: []\n'), ['pack.yaml:4:11 error manifest/invalid articles needs at least 1 item']],
    ['an unknown field', `${BASE}papr: letter\n`, ['pack.yaml:6:1 error manifest/invalid papr is not a known field']],
    ['a paper size it does not print', `${BASE}paper: a5\n`, ['pack.yaml:6:8 error manifest/invalid paper must be one of "a4", "letter", not the text "a5"']],
    ['duplex as a word', `${BASE}duplex: "yes"\n`, ['pack.yaml:6:9 error manifest/invalid duplex must be true or false, not the text "yes"']],
    ['a bleed without its unit', `${BASE}bleed: "3"\n`, ['pack.yaml:6:8 error manifest/invalid bleed must be a length in millimetres such as "3mm"']],
    ['a bleed in inches', `${BASE}bleed: 0.1in\n`, ['pack.yaml:6:8 error manifest/invalid bleed must be a length in millimetres such as "3mm"']],
    ['a bleed with a half-written fraction', `${BASE}bleed: 3.mm\n`, ['pack.yaml:6:8 error manifest/invalid bleed must be a length in millimetres such as "3mm"']],
    ['a bleed with words around it', `${BASE}bleed: about 3mm please\n`, ['pack.yaml:6:8 error manifest/invalid bleed must be a length in millimetres such as "3mm"']],
    ['a language that is no tag', `${BASE}language: English\n`, ['pack.yaml:6:11 error manifest/invalid language must be a language tag such as "en", "en-GB" or "ar"']],
    ['a one-letter language', `${BASE}language: e\n`, ['pack.yaml:6:11 error manifest/invalid language must be a language tag such as "en", "en-GB" or "ar"']],
    ['a language with a space', `${BASE}language: en GB\n`, ['pack.yaml:6:11 error manifest/invalid language must be a language tag such as "en", "en-GB" or "ar"']],
    ['an empty author list', `${BASE}author: []\n`, ['pack.yaml:6:9 error manifest/invalid author needs at least 1 item']],
    ['an author that is a mapping', `${BASE}author: {name: A}\n`, ['pack.yaml:6:9 error manifest/invalid author must be a text or a list of texts']],
    ['an edition that is a list', `${BASE}edition: [1]\n`, ['pack.yaml:6:10 error manifest/invalid edition must be a text']],
    [
      'a long title of the wrong type, cut short in the message',
      BASE.replace('title: Syria and Russia', `title: 1234567890`) + `subtitle: ${'x'.repeat(50)}\nkeywords: ${'y'.repeat(45)}\n`,
      [
        'pack.yaml:7:11 error manifest/invalid keywords must be a list, not the text "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy…"',
        'pack.yaml:1:8 error manifest/invalid title must be a text, not number 1234567890',
      ],
    ],
    ['a text of forty characters, shown whole', `${BASE}duplex: "${'d'.repeat(40)}"\n`, [`pack.yaml:6:9 error manifest/invalid duplex must be true or false, not the text "${'d'.repeat(40)}"`]],
    ['a keyword that is blank', `${BASE}keywords: [a, " "]\n`, ['pack.yaml:6:15 error manifest/invalid keywords[1] must not be empty']],
    ['a document that is a list', '- title: T\n', ['pack.yaml:1:1 error manifest/invalid the document must be a mapping of fields, not a list']],
  ])('%s', async (_name, yaml, expected) => {
    const { manifest, problems } = await load(yaml);
    expect(manifest).toBeUndefined();
    expect(problems.sort()).toEqual([...expected].sort());
  });
});

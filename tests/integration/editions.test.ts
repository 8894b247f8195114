/**
 * The canary test: a pack whose restricted parts each hold a word found nowhere else (in text, a
 * heading, a sidebar's title and field, an image's alt text and bytes and file name, a note, a
 * link, code, an article's title, short title, standfirst, bottom line and tags) is built in every
 * edition, and every byte each edition writes is searched: the PDF as text and as bytes with
 * every stream inflated (strings decoded, UTF-16 too), every entry of the EPUB, the HTML with its
 * inlined images decoded, manifest.json and the --json report. A word above an edition's level
 * must not be in it; each word must be found where the edition may hold it (so the search is seen
 * to find what it looks for); the cache of one edition never serves another.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { EXAMPLE, ROOT, briefpack, snapshotDir, tempDir, type CliResult } from '../helpers/cli.js';
import { writePack } from '../helpers/pack.js';
import { allText, epubCheck, pageCount, pageText, pdfInfo, pdfOutline, run } from '../helpers/tools.js';

const EPOCH = '1780000000';

type Level = 'PUBLIC' | 'OFFICIAL' | 'SECRET';
interface Marking {
  level: Level;
  noforn?: boolean;
}

/** Each canary and the marking of the part that holds it. */
const CANARIES = {
  BlockProseQx71: { level: 'SECRET', noforn: true },
  BlockHeadingQx72: { level: 'SECRET', noforn: true },
  BlockNoteQx73: { level: 'SECRET', noforn: true },
  BlockLinkTextQx74: { level: 'SECRET', noforn: true },
  BlockLinkHrefQx75: { level: 'SECRET', noforn: true },
  OfficialProseQx76: { level: 'OFFICIAL' },
  OfficialAltQx77: { level: 'OFFICIAL' },
  OfficialImageBytesQx78: { level: 'OFFICIAL' },
  SidebarTitleQx79: { level: 'OFFICIAL', noforn: true },
  SidebarFieldQx80: { level: 'OFFICIAL', noforn: true },
  ArticleTitleQx81: { level: 'SECRET' },
  ShortTitleQx82: { level: 'SECRET' },
  StandfirstQx83: { level: 'SECRET' },
  BottomLineQx84: { level: 'SECRET' },
  TagQx85: { level: 'SECRET' },
  ArticleProseQx86: { level: 'SECRET' },
  ArticleSectionQx87: { level: 'SECRET' },
  ArticleAltQx88: { level: 'SECRET' },
  FileNameQx89: { level: 'SECRET' },
  FileBytesQx90: { level: 'SECRET' },
  CodeQx91: { level: 'SECRET' },
  ArticleNoteQx92: { level: 'SECRET' },
  PlainBlockQx93: { level: 'SECRET' },
  // A sidebar placed inside the text (::sidebar{#id}): its id and its title.
  inlinesidebarqx94: { level: 'SECRET' },
  InlineSidebarTitleQx95: { level: 'SECRET' },
} satisfies Record<string, Marking>;
type Canary = keyof typeof CANARIES;

/** A word every edition holds: that the search finds it in each output shows the search reads that output. */
const CONTROL = 'OpenControlWordQx70';

const EDITIONS = {
  full: (_: Marking) => true,
  partners: (m: Marking) => !m.noforn,
  public: (m: Marking) => m.level === 'PUBLIC',
} as const;
type EditionName = keyof typeof EDITIONS;

const MANIFEST = `title: Canary Pack
date: 2026-03-02
organisation: Canary Desk
classification: SECRET
levels: [PUBLIC, OFFICIAL, SECRET]
caveats: [{name: NOFORN, short: NF}]
portion_marks: true
editions:
  full:
  partners: {max: SECRET, exclude: NOFORN}
  public: {max: PUBLIC, withheld: notice}
articles:
  - open
  - restricted
  - plain
`;

/** An article that differs between editions only by a passage: nothing else would keep its chapters apart in the cache. */
const PLAIN = `---
title: Plain article
---

${CONTROL} again.

::sidebar{#inlinesidebarqx94}

:::marked{level=SECRET}
PlainBlockQx93 is secret.
:::
`;

const OPEN = `---
title: Open article
standfirst: What anyone may read.
sidebars:
  - facts
  - restricted-facts
---

${CONTROL} opens the open article, which links to [its restricted heading](#blockheadingqx72), to [the restricted article](restricted.md) and to [its section](restricted.md#articlesectionqx87).

:::marked{level=OFFICIAL}
OfficialProseQx76 is official.

![OfficialAltQx77](../images/official.png)
:::

::::marked{level=SECRET caveats="NOFORN"}
## BlockHeadingQx72

BlockProseQx71 is secret, with a [BlockLinkTextQx74](https://example.org/BlockLinkHrefQx75) and a note.[^secret]

[^secret]: BlockNoteQx73 is the secret note.
::::

The open article closes.
`;

const RESTRICTED = `---
title: ArticleTitleQx81 restricted article
short_title: ShortTitleQx82
standfirst: StandfirstQx83 stands first.
tags: [TagQx85]
bottom_line:
  - BottomLineQx84 is the bottom line.
level: SECRET
---

ArticleProseQx86 is the restricted article's text.[^note]

## ArticleSectionQx87

![ArticleAltQx88](../images/FileNameQx89.png)

\`\`\`js
const CodeQx91 = 1;
\`\`\`

[^note]: ArticleNoteQx92 is a note.
`;

let CRC: number[] | undefined;
function crc32(bytes: Buffer): number {
  CRC ??= Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let c = 0xffffffff;
  for (const b of bytes) c = CRC[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A 2×2 PNG whose tEXt chunk carries `word`: an output that carries the image's bytes carries the word. */
function png(word: string, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0);
  header.writeUInt32BE(2, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.from([0, ...rgb, ...rgb]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('tEXt', Buffer.from(`Comment\0${word}`, 'latin1')),
    chunk('IDAT', deflateSync(Buffer.concat([row, row]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function canaryPack(): string {
  return writePack({
    'pack.yaml': MANIFEST,
    'articles/open.md': OPEN,
    'articles/restricted.md': RESTRICTED,
    'articles/plain.md': PLAIN,
    'images/official.png': png('OfficialImageBytesQx78', [200, 30, 30]),
    'images/FileNameQx89.png': png('FileBytesQx90', [30, 30, 200]),
    'sidebars/facts.yaml': `title: Open facts\nkind: facts\nfacts:\n  - label: Open\n    value: ${CONTROL} in a sidebar\n`,
    'sidebars/inlinesidebarqx94.yaml': 'title: InlineSidebarTitleQx95\nkind: facts\nlevel: SECRET\nfacts:\n  - label: Inline\n    value: placed in the text\n',
    'sidebars/restricted-facts.yaml': 'title: SidebarTitleQx79 facts\nkind: facts\nlevel: OFFICIAL\ncaveats: NOFORN\nfacts:\n  - label: Held back\n    value: SidebarFieldQx80\n',
  });
}

/** Every string of a PDF file decoded (literal and hex, PDFDocEncoding or UTF-16BE), for the search. */
function pdfStrings(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  const out: string[] = [];
  const decode = (raw: Buffer) => (raw[0] === 0xfe && raw[1] === 0xff ? Buffer.from(raw.subarray(2)).swap16().toString('utf16le') : raw.toString('latin1'));
  for (const match of text.matchAll(/<([0-9A-Fa-f\s]+)>/g)) {
    const hex = match[1]!.replace(/\s+/g, '');
    out.push(decode(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex')));
  }
  for (const match of text.matchAll(/\((?:\\[\s\S]|[^\\)])*\)/g)) {
    const literal = match[0].slice(1, -1).replace(/\\([0-7]{1,3}|[\s\S])/g, (_, e: string) =>
      /^[0-7]+$/.test(e) ? String.fromCharCode(parseInt(e, 8)) : ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e,
    );
    out.push(decode(Buffer.from(literal, 'latin1')));
  }
  return out.join('\n');
}

/** The bytes of one output, as text to search: every form the edition's words could take in it. */
function searchable(file: string): string {
  const bytes = readFileSync(file);
  if (file.endsWith('.pdf')) {
    const qdf = path.join(tempDir('canary-qdf-'), 'inflated.pdf');
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, qdf]);
    const inflated = readFileSync(qdf);
    return [allText(file), inflated.toString('latin1'), pdfStrings(inflated)].join('\n');
  }
  if (file.endsWith('.epub')) {
    const entries = run('unzip', ['-Z1', file]).split('\n').filter(Boolean);
    return entries.map((entry) => `${entry}\n${execFileSync('unzip', ['-p', file, entry]).toString('latin1')}`).join('\n');
  }
  const text = bytes.toString('utf8');
  // Images are inlined as data: URLs: their bytes are searched too.
  const inlined = [...text.matchAll(/data:[a-z/+.-]+;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('latin1'));
  return [text, ...inlined].join('\n');
}

const found = (haystack: string, word: string) => haystack.toLowerCase().includes(word.toLowerCase());

let pack: string;
let all: string;
let allRun: CliResult;
let single: CliResult;
let rebuilt: string;

beforeAll(() => {
  pack = canaryPack();
  all = tempDir('canary-all-');
  allRun = briefpack(['build', pack, '--out', all, '--edition', 'all', '--json'], { env: { SOURCE_DATE_EPOCH: EPOCH } });
  // The public edition again, alone, with its own report, into a folder whose cache holds the full edition's chapters.
  rebuilt = tempDir('canary-public-');
  const full = briefpack(['build', pack, '--out', rebuilt, '--edition', 'full'], { env: { SOURCE_DATE_EPOCH: EPOCH } });
  if (full.code !== 0) throw new Error(full.stderr);
  single = briefpack(['build', pack, '--out', rebuilt, '--edition', 'public', '--json'], { env: { SOURCE_DATE_EPOCH: EPOCH } });
}, 600_000);

describe('briefpack build --edition all', () => {
  it('writes each edition into files named for it, and manifest.json lists each with its checksums and marking', () => {
    expect(allRun.code, allRun.stdout + allRun.stderr).toBe(0);
    const names = readdirSync(all).filter((n) => !n.startsWith('.')).sort();
    expect(names).toEqual(
      ['manifest.json', ...(['full', 'partners', 'public'] as const).flatMap((e) => ['pdf', 'epub', 'html'].map((f) => `canary-pack-${e}.${f}`))].sort(),
    );
    const manifest = JSON.parse(readFileSync(path.join(all, 'manifest.json'), 'utf8')) as {
      editions: Array<{ name: string; title: string; marking: string }>;
      artifacts: Array<{ path: string; edition: string; marking: string; sha256: string; bytes: number }>;
    };
    expect(manifest.editions).toEqual([
      { name: 'full', title: 'Full edition', marking: 'SECRET//NOFORN' },
      { name: 'partners', title: 'Partners edition', marking: 'SECRET' },
      { name: 'public', title: 'Public edition', marking: 'PUBLIC' },
    ]);
    for (const a of manifest.artifacts) {
      expect(a.path.startsWith(`canary-pack-${a.edition}.`), a.path).toBe(true);
      const data = readFileSync(path.join(all, a.path));
      expect([a.bytes, a.sha256]).toEqual([data.length, execFileSync('sha256sum', [path.join(all, a.path)]).toString().split(' ')[0]]);
      expect(a.marking).toBe(manifest.editions.find((e) => e.name === a.edition)!.marking);
    }
  });

  it('marks each edition with what it holds: banner on every page, cover, PDF metadata, EPUB', () => {
    for (const [edition, marking] of [
      ['full', 'SECRET//NOFORN'],
      ['partners', 'SECRET'],
      ['public', 'PUBLIC'],
    ] as const) {
      const pdf = path.join(all, `canary-pack-${edition}.pdf`);
      const info = run('pdfinfo', ['-custom', pdf]);
      expect(info).toMatch(new RegExp(`^Marking:\\s+${marking.replace(/\//g, '\\/')}$`, 'm'));
      expect(info).toMatch(new RegExp(`^Edition:\\s+${edition}$`, 'm'));
      expect(pdfInfo(pdf).Title).toContain(`(${edition[0]!.toUpperCase()}${edition.slice(1)} edition)`);
      const pages = Number(pdfInfo(pdf).Pages);
      for (let p = 2; p <= pages; p++) {
        const lines = run('pdftotext', ['-layout', '-f', String(p), '-l', String(p), pdf, '-']).split('\n').filter((l) => l.trim());
        expect(lines[0]!.trim(), `${edition} page ${p}`).toBe(marking);
        expect(lines.at(-1)!.trim(), `${edition} page ${p}`).toBe(marking);
      }
      expect(run('pdftotext', ['-f', '1', '-l', '1', pdf, '-'])).toContain(marking);
      const epub = path.join(all, `canary-pack-${edition}.epub`);
      expect(execFileSync('unzip', ['-p', epub, 'OEBPS/content.opf']).toString()).toContain(`<dc:rights>${marking}</dc:rights>`);
      expect(execFileSync('unzip', ['-p', epub, 'OEBPS/open.xhtml']).toString()).toContain(`<p class="marking">${marking}</p>`);
    }
  });

  it('gives each edition right contents and bookmarks, and a notice where the public one leaves a part out', () => {
    const outline = (e: EditionName) => pdfOutline(path.join(all, `canary-pack-${e}.pdf`)).map((o) => o.title);
    expect(outline('full')).toEqual(['Open article', 'BlockHeadingQx72', 'ArticleTitleQx81 restricted article', 'ArticleSectionQx87', 'Plain article']);
    expect(outline('partners')).toEqual(['Open article', 'ArticleTitleQx81 restricted article', 'ArticleSectionQx87', 'Plain article']);
    expect(outline('public')).toEqual(['Open article', 'Plain article']);
    const text = allText(path.join(all, 'canary-pack-public.pdf'));
    expect(text).toContain('[A passage is withheld from this edition.]');
    // Where the open article's front matter places the restricted facts, and where the plain article's text places its sidebar.
    expect(text.split('[A sidebar is withheld from this edition.]').length - 1).toBe(2);
  });

  it('writes an edition EPUB that passes EPUBCheck: its edition title, markings and notices', () => {
    // One edition: EPUBCheck takes half a minute a book here, and what editions add is in each.
    const report = epubCheck(path.join(all, 'canary-pack-public.epub'));
    expect(report.messages).toEqual([]);
    expect(execFileSync('unzip', ['-p', path.join(all, 'canary-pack-public.epub'), 'OEBPS/content.opf']).toString()).toMatch(
      /<dc:title id="edition">Public edition<\/dc:title>\s*<meta refines="#edition" property="title-type">edition<\/meta>/,
    );
  });
});

describe('nothing leaks', () => {
  const outputs = (folder: string, edition: EditionName) => ['pdf', 'epub', 'html'].map((f) => path.join(folder, `canary-pack-${edition}.${f}`));

  it('finds, in every output of every edition, each word the edition holds: the search reads what it searches', () => {
    for (const edition of Object.keys(EDITIONS) as EditionName[]) {
      for (const file of outputs(all, edition)) expect(found(searchable(file), CONTROL), file).toBe(true);
    }
    // In the full edition, every canary where its kind of part is written.
    const [pdf, epub, html] = outputs(all, 'full').map(searchable);
    const where: Partial<Record<Canary, string[]>> = {
      // The outputs name an image by what it holds, so its file name is in none of them: what
      // that canary guards against is a writer that starts to use the name.
      FileNameQx89: [],
      // The PDF holds an image's pixels, not its file.
      OfficialImageBytesQx78: [epub!, html!],
      FileBytesQx90: [epub!, html!],
      // The running head.
      ShortTitleQx82: [pdf!],
      // An id: the web page's and the EPUB's anchors; the PDF names only link targets.
      inlinesidebarqx94: [epub!, html!],
    };
    for (const word of Object.keys(CANARIES) as Canary[]) {
      for (const haystack of where[word] ?? [pdf!, epub!, html!]) expect(found(haystack, word), word).toBe(true);
    }
    // Where the parts of a PDF are written: bookmarks, alt text, metadata.
    expect(found(pdf!, 'BlockHeadingQx72') && pdfOutline(outputs(all, 'full')[0]!).some((o) => o.title === 'BlockHeadingQx72')).toBe(true);
    expect(run('pdfinfo', [outputs(all, 'full')[0]!])).toContain('TagQx85');
    expect(readFileSync(path.join(all, 'manifest.json'), 'utf8')).toContain('canary-pack-full.pdf');
  });

  for (const edition of ['partners', 'public'] as const) {
    it(`holds no word above the ${edition} edition in any byte it writes`, () => {
      const held = EDITIONS[edition];
      const leaks: string[] = [];
      // Built with the others, and (the public one) alone from a cache that holds the others' chapters.
      for (const file of [...outputs(all, edition), ...(edition === 'public' ? outputs(rebuilt, edition) : [])]) {
        const haystack = searchable(file);
        for (const [word, marking] of Object.entries(CANARIES)) if (!held(marking) && found(haystack, word)) leaks.push(`${word} in ${path.relative(path.dirname(path.dirname(file)), file)}`);
      }
      expect(leaks).toEqual([]);
    });
  }

  it('says nothing above the public edition in its own --json report and manifest.json, built alone where the cache holds the full edition', () => {
    expect(single.code, single.stderr).toBe(0);
    const report = JSON.parse(single.stdout) as { artifacts: Array<{ path: string; edition: string; marking: string }>; diagnostics: Array<{ rule: string; message: string }> };
    expect(report.artifacts.map((a) => [path.basename(a.path), a.edition, a.marking])).toEqual(
      ['pdf', 'epub', 'html'].map((f) => [`canary-pack-public.${f}`, 'public', 'PUBLIC']),
    );
    // It says where the links to withheld parts are, and nothing of what they link to.
    expect(report.diagnostics.map((d) => d.rule)).toEqual(['edition/withheld', 'edition/withheld', 'edition/withheld']);
    const leaks = [single.stdout, readFileSync(path.join(rebuilt, 'manifest.json'), 'utf8')].flatMap((text) => Object.keys(CANARIES).filter((word) => found(text, word)));
    expect(leaks).toEqual([]);
    expect(readdirSync(rebuilt).filter((n) => !n.startsWith('.')).sort()).toEqual(['canary-pack-public.epub', 'canary-pack-public.html', 'canary-pack-public.pdf', 'manifest.json']);
  });

  it('is made byte for byte the same from a cache that holds the full edition as in a build of all of them', () => {
    for (const f of ['pdf', 'epub', 'html']) {
      const name = `canary-pack-public.${f}`;
      expect(readFileSync(path.join(rebuilt, name)).equals(readFileSync(path.join(all, name))), name).toBe(true);
    }
  });

  it('a build of all editions that fails in a later one writes none of them, and leaves the folder as it was', () => {
    const folder = tempDir('canary-strict-');
    writeFileSync(path.join(folder, 'keep.txt'), 'earlier output');
    const before = snapshotDir(folder);
    // The full edition renders; the partners edition warns of its links to withheld parts, which --strict makes errors.
    const r = briefpack(['build', pack, '--out', folder, '--edition', 'all', '--strict', '--format', 'html'], { env: { SOURCE_DATE_EPOCH: EPOCH } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the partners edition leaves out');
    expect(snapshotDir(folder)).toEqual(before);
  });

  it('a build of one edition into a folder that holds another takes the other away with the write', () => {
    const folder = tempDir('canary-switch-');
    expect(briefpack(['build', pack, '--out', folder, '--edition', 'full', '--format', 'html'], { env: { SOURCE_DATE_EPOCH: EPOCH } }).code).toBe(0);
    writeFileSync(path.join(folder, 'notes.txt'), 'the editor\'s own file');
    expect(briefpack(['build', pack, '--out', folder, '--edition', 'public', '--format', 'html'], { env: { SOURCE_DATE_EPOCH: EPOCH } }).code).toBe(0);
    expect(readdirSync(folder).filter((n) => !n.startsWith('.')).sort()).toEqual(['canary-pack-public.html', 'manifest.json', 'notes.txt']);
  });
});

describe('reports', () => {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'report.schema.json'), 'utf8')) as object);

  it('briefpack check lists, per edition, its marking and what it leaves out, where each part is marked', () => {
    const r = briefpack(['check', pack]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').map((l) => l.replace(pack, 'PACK'));
    expect(lines).toEqual([
      'PACK: ok (3 articles, 2 sections, 3 sidebars), marked SECRET//NOFORN',
      'edition full (SECRET//NOFORN): 3 articles, leaves out nothing',
      'edition partners (SECRET): 3 articles, leaves out 2 parts:',
      '  PACK/sidebars/restricted-facts.yaml:3:8 the sidebar "restricted-facts" (OFFICIAL//NOFORN)',
      '  PACK/articles/open.md:17:1 the passage of lines 17-23 (SECRET//NOFORN)',
      'edition public (PUBLIC): 2 articles, leaves out 6 parts:',
      '  PACK/sidebars/inlinesidebarqx94.yaml:3:8 the sidebar "inlinesidebarqx94" (SECRET)',
      '  PACK/sidebars/restricted-facts.yaml:3:8 the sidebar "restricted-facts" (OFFICIAL//NOFORN)',
      '  PACK/articles/open.md:11:1 the passage of lines 11-15 (OFFICIAL)',
      '  PACK/articles/open.md:17:1 the passage of lines 17-23 (SECRET//NOFORN)',
      '  PACK/articles/restricted.md:8:8 the article (SECRET)',
      '  PACK/articles/plain.md:9:1 the passage of lines 9-11 (SECRET)',
      '',
    ]);
    const json = briefpack(['check', pack, '--json']);
    const report = JSON.parse(json.stdout) as { editions: Array<{ name?: string; withheld: unknown[] }> };
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.editions.map((e) => [e.name, e.withheld.length])).toEqual([
      [undefined, 0],
      ['full', 0],
      ['partners', 2],
      ['public', 6],
    ]);
  });

  it('a build of an edition reports, schema-valid, each artifact with its edition and marking', () => {
    expect(validate(JSON.parse(single.stdout)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(JSON.parse(allRun.stdout)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('--edition names an edition of the pack, or all', () => {
    const unknown = briefpack(['build', pack, '--out', tempDir(), '--edition', 'secret']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--edition secret: the pack has no edition of that name (edition/unknown)');
    expect(unknown.stderr).toContain('hint: Editions: full, partners, public; or all.');
    expect(briefpack(['build', pack, '--out', tempDir(), '--edition', 'Public']).stderr).toContain('--edition takes the name of an edition in pack.yaml, or all; got "Public"');
  });
});

describe('the example pack, in every edition', () => {
  let out: string;
  let result: CliResult;
  beforeAll(() => {
    out = tempDir('example-editions-');
    result = briefpack(['build', EXAMPLE, '--out', out, '--edition', 'all'], { env: { SOURCE_DATE_EPOCH: EPOCH } });
  }, 300_000);

  it('writes the full and the public edition; the public one lacks the sources sidebar and says so', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/ (error|warning) /);
    expect(readdirSync(out).filter((n) => !n.startsWith('.')).sort()).toEqual(
      ['manifest.json', ...['full', 'public'].flatMap((e) => ['epub', 'html', 'pdf'].map((f) => `syria-and-russia-${e}.${f}`))].sort(),
    );
    const full = allText(path.join(out, 'syria-and-russia-full.pdf'));
    const pub = allText(path.join(out, 'syria-and-russia-public.pdf'));
    for (const words of ['SOURCES CITED', 'Cited on why the timing suits Moscow']) {
      expect(full).toContain(words);
      expect(pub).not.toContain(words);
      expect(readFileSync(path.join(out, 'syria-and-russia-public.html'), 'utf8')).not.toContain(words.replace('SOURCES CITED', 'Sources cited'));
    }
    expect(pub).toContain('[A sidebar is withheld from this edition.]');
  });

  it('marks each edition with what it holds, and prints on each contents entry the page where that heading is', () => {
    for (const [edition, marking] of [
      ['full', 'OFFICIAL-SENSITIVE'],
      ['public', 'PUBLIC'],
    ] as const) {
      const pdf = path.join(out, `syria-and-russia-${edition}.pdf`);
      const pages = pageCount(pdf);
      const texts = Array.from({ length: pages }, (_, i) => pageText(pdf, i + 1));
      for (let p = 2; p <= pages; p++) {
        const lines = texts[p - 1]!.split('\n').filter((l) => l.trim());
        expect([lines[0]!.trim(), lines.at(-1)!.trim()], `${edition} page ${p}`).toEqual([marking, marking]);
      }
      const contents = texts.findIndex((t) => /^\s*Contents\s*$/m.test(t));
      const entries = texts[contents]!.split('\n').flatMap((l) => {
        const m = /^\s*(\S.*?)\s+(\d+)\s*$/.exec(l);
        return m && !/^Page \d/.test(m[1]!) ? [[m[1]!, Number(m[2])] as const] : [];
      });
      expect(entries.length, edition).toBe(4);
      for (const [title, page] of entries) {
        const start = title.split(' ').slice(0, 3).join(' ');
        const printedOn = texts.findIndex((t, i) => i > contents && t.replace(/\s+/g, ' ').includes(start)) + 1;
        expect(printedOn, `${edition}: ${title}`).toBe(page);
      }
    }
  });
});


/**
 * Markings as a pack writes them: the scheme in pack.yaml, an article's and a sidebar's level and
 * caveats, `:::marked` blocks; each problem at the YAML node or the directive it is about.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/build.js';
import { BuildFailure, type Diagnostic } from '../../src/diagnostics.js';
import { bannerOf, combine, defaultShort, portionMarkOf } from '../../src/marking/scheme.js';
import { writePack } from '../helpers/pack.js';

async function diagnosticsOf(dir: string): Promise<Diagnostic[]> {
  try {
    return (await check({ packDir: dir })).diagnostics;
  } catch (error) {
    if (error instanceof BuildFailure) return [...error.diagnostics];
    throw error;
  }
}

const shown = (list: readonly Diagnostic[]) => list.map((d) => `${path.basename(d.file ?? '')}:${d.position?.line}:${d.position?.column} ${d.severity} ${d.message} (${d.rule})`);

const SCHEME = `title: Marked Pack
date: 2026-01-15
organisation: Test Unit
classification: SECRET
levels: [PUBLIC, OFFICIAL, {name: OFFICIAL-SENSITIVE, short: OS}, SECRET, TOP SECRET]
caveats: [{name: NOFORN, short: NF}, PARTNERS ONLY]
editions:
  full:
  partners: {max: OFFICIAL-SENSITIVE, exclude: NOFORN}
  public: {max: PUBLIC, withheld: notice, title: For publication}
articles:
  - one
  - two
`;

const TWO = '---\ntitle: Two\n---\n\nOpen to all.\n';

const ARTICLE = `---
title: One
level: OFFICIAL
---

Open text.

::::marked{level=SECRET caveats="NOFORN"}
Secret text.

:::marked{caveats="PARTNERS ONLY"}
Inner text.
:::
::::
`;

describe('the marking scheme in pack.yaml', () => {
  it('reads levels, caveats, short forms and editions', async () => {
    const { pack, diagnostics } = await check({ packDir: writePack({ 'pack.yaml': SCHEME, 'articles/one.md': ARTICLE, 'articles/two.md': TWO }) });
    expect(diagnostics).toEqual([]);
    const { markings, editions } = pack.manifest;
    expect(markings.levels).toEqual([
      { name: 'PUBLIC', short: 'P' },
      { name: 'OFFICIAL', short: 'O' },
      { name: 'OFFICIAL-SENSITIVE', short: 'OS' },
      { name: 'SECRET', short: 'S' },
      { name: 'TOP SECRET', short: 'TS' },
    ]);
    expect(markings.caveats).toEqual([
      { name: 'NOFORN', short: 'NF' },
      { name: 'PARTNERS ONLY', short: 'PARTNERS ONLY' },
    ]);
    expect([markings.ceiling, markings.unmarked]).toEqual([3, 0]);
    expect(editions.map((e) => [e.name, e.title, e.max, e.exclude, e.withheld])).toEqual([
      ['full', 'Full edition', 3, [], 'silent'],
      ['partners', 'Partners edition', 2, [0], 'silent'],
      ['public', 'For publication', 0, [], 'notice'],
    ]);
  });

  it('keeps a pack without levels as it was: its classification is its one level', async () => {
    const { pack } = await check({
      packDir: writePack({ 'pack.yaml': 'title: T\ndate: 2026-01-15\norganisation: O\nclassification: UNCLASSIFIED\narticles: [one]\n', 'articles/one.md': '---\ntitle: One\n---\n\nText.\n' }),
    });
    expect(pack.manifest.markings.levels).toEqual([{ name: 'UNCLASSIFIED', short: 'U' }]);
    expect(pack.manifest.classification).toBe('UNCLASSIFIED');
    expect(pack.chapters[0]!.article.marking).toEqual({ level: 0, caveats: [] });
  });

  it('reports each problem of the scheme at its node', async () => {
    const dir = writePack({
      'pack.yaml': `title: T
date: 2026-01-15
organisation: O
classification: CONFIDENTIAL
levels: [PUBLIC, SECRET, PUBLIC]
caveats: [NOFORN]
unmarked: OFFICIAL
editions:
  Public: {max: PUBLIC}
  all: {}
  partners: {max: RESTRICTED, exclude: [NOFORN, EYES ONLY]}
articles: [one]
`,
      'articles/one.md': '---\ntitle: One\n---\n\nText.\n',
    });
    expect(shown(await diagnosticsOf(dir)).sort()).toEqual(
      [
        'pack.yaml:4:17 error classification: "CONFIDENTIAL" is not one of the levels (manifest/invalid)',
        'pack.yaml:5:26 error levels[2]: PUBLIC is named twice (manifest/invalid)',
        'pack.yaml:7:11 error unmarked: "OFFICIAL" is not one of the levels (manifest/invalid)',
        'pack.yaml:9:3 error editions: "Public" is not a name for an edition (manifest/invalid)',
        'pack.yaml:10:3 error editions: "all" cannot name an edition: --edition all builds every edition (manifest/invalid)',
        'pack.yaml:11:19 error editions.partners.max: "RESTRICTED" is not one of the levels (manifest/invalid)',
        'pack.yaml:11:49 error editions.partners.exclude: "EYES ONLY" is not one of the caveats (manifest/invalid)',
      ].sort(),
    );
  });

  it('needs levels for caveats, editions and portion marks', async () => {
    const dir = writePack({
      'pack.yaml': 'title: T\ndate: 2026-01-15\norganisation: O\ncaveats: [NOFORN]\nportion_marks: true\neditions: {public: {}}\narticles: [one]\n',
      'articles/one.md': '---\ntitle: One\n---\n\nText.\n',
    });
    expect(shown(await diagnosticsOf(dir)).sort()).toEqual(
      [
        'pack.yaml:4:1 error caveats needs marking levels (manifest/invalid)',
        'pack.yaml:5:1 error portion_marks needs marking levels (manifest/invalid)',
        'pack.yaml:6:1 error editions needs marking levels (manifest/invalid)',
      ].sort(),
    );
  });
});

describe('markings of articles, sidebars and blocks', () => {
  it('marks each block as what holds it and as itself', async () => {
    const { pack } = await check({ packDir: writePack({ 'pack.yaml': SCHEME, 'articles/one.md': ARTICLE, 'articles/two.md': TWO }) });
    const article = pack.chapters[0]!.article;
    expect(article.marking).toEqual({ level: 1, caveats: [] });
    expect(article.blocks.map((b) => [b.start, b.end, b.parent, b.marking])).toEqual([
      [{ line: 8, column: 1 }, { line: 14, column: 5 }, -1, { level: 3, caveats: [0] }],
      [{ line: 11, column: 1 }, { line: 13, column: 4 }, 0, { level: 3, caveats: [0, 1] }],
    ]);
  });

  it('reports a marking the scheme lacks, or above the ceiling, at the front matter node, the sidebar node and the directive', async () => {
    const dir = writePack({
      'pack.yaml': SCHEME,
      'articles/two.md': TWO,
      'articles/one.md': `---
title: One
level: SECRETT
caveats: [NOFORN, EYES ONLY]
sidebars: [people]
---

Text.

:::marked{level="TOP SECRET"}
Above the ceiling.
:::

:::marked{level=OFFICIAL caveats="NOFORN, REL TO MARS"}
Unknown caveat.
:::
`,
      'sidebars/people.yaml': 'title: People\nkind: people\nlevel: COSMIC\npeople:\n  - name: A\n    role: B\n',
    });
    expect(shown(await diagnosticsOf(dir)).sort()).toEqual(
      [
        'one.md:3:8 error "SECRETT" is not a level of this pack (marking/level)',
        'one.md:4:19 error "EYES ONLY" is not a caveat of this pack (marking/caveat)',
        'one.md:10:1 error TOP SECRET is above the pack\'s classification, SECRET, the highest marking it may hold (marking/ceiling)',
        'one.md:14:1 error "REL TO MARS" is not a caveat of this pack (marking/caveat)',
        'people.yaml:3:8 error "COSMIC" is not a level of this pack (marking/level)',
      ].sort(),
    );
  });

  it('reports a level in a pack that has none', async () => {
    const dir = writePack({
      'pack.yaml': 'title: T\ndate: 2026-01-15\norganisation: O\narticles: [one]\n',
      'articles/one.md': '---\ntitle: One\nlevel: SECRET\n---\n\nText.\n',
    });
    expect(shown(await diagnosticsOf(dir))).toEqual(['one.md:3:8 error level SECRET: the pack has no marking levels (marking/level)']);
  });

  it('reports a malformed directive at its line and column', async () => {
    const dir = writePack({
      'pack.yaml': SCHEME,
      'articles/two.md': TWO,
      'articles/one.md': `---
title: One
---

Text.

  :::marked{#x level=SECRET}
  Not an id.
  :::

:::marked
Nothing.
:::

::marked{level=SECRET}

:::marked{level=""}
Empty.
:::
`,
    });
    expect(shown(await diagnosticsOf(dir))).toEqual([
      'one.md:7:3 error :::marked takes level and caveats, not #id (markdown/directive)',
      'one.md:11:1 error :::marked needs a level, caveats or both (markdown/directive)',
      'one.md:15:1 error ::marked is a block that holds text: open it with :::marked{level=...} and close it with a line of ::: (markdown/directive)',
      'one.md:17:1 error :::marked has an empty level (markdown/directive)',
    ]);
  });

  it('warns of a block never closed, and stops at a fence that closes nothing', async () => {
    const dir = writePack({
      'pack.yaml': SCHEME,
      'articles/two.md': TWO,
      'articles/one.md': `---
title: One
---

:::marked{level=SECRET}
Outer.

:::marked{level=SECRET}
Inner, whose fence closes the outer block too.
:::

Meant to be secret.
:::

:::marked{level=OFFICIAL}
Runs to the end.
`,
    });
    expect(shown(await diagnosticsOf(dir))).toEqual([
      'one.md:8:1 warning this marked block is never closed (no line of ::: after it): it runs to the end of the article (markdown/directive)',
      'one.md:13:1 error a line of colons that closes no block: what follows it is not inside the marked block it seems to end (markdown/directive)',
      'one.md:15:1 warning this marked block is never closed (no line of ::: after it): it runs to the end of the article (markdown/directive)',
    ]);
  });
});

describe('what a marking prints', () => {
  const scheme = {
    levels: [
      { name: 'PUBLIC', short: 'P' },
      { name: 'SECRET', short: 'S' },
    ],
    caveats: [
      { name: 'NOFORN', short: 'NF' },
      { name: 'PARTNERS ONLY', short: 'PO' },
    ],
    unmarked: 0,
    ceiling: 1,
    portionMarks: true,
    withheld: 'silent' as const,
  };

  it('banners and portion marks, caveats in the order the scheme declares them', () => {
    const both = combine({ level: 0, caveats: [1] }, { level: 1, caveats: [0] });
    expect(both).toEqual({ level: 1, caveats: [0, 1] });
    expect(bannerOf(scheme, both)).toBe('SECRET//NOFORN/PARTNERS ONLY');
    expect(portionMarkOf(scheme, both)).toBe('(S//NF/PO)');
    expect(bannerOf(scheme, { level: 0, caveats: [] })).toBe('PUBLIC');
    expect(portionMarkOf(scheme, { level: 0, caveats: [] })).toBe('(P)');
  });

  it('short forms from initials', () => {
    expect(['UNCLASSIFIED', 'TOP SECRET', 'OFFICIAL-SENSITIVE', 'C'].map(defaultShort)).toEqual(['U', 'TS', 'OS', 'C']);
  });
});

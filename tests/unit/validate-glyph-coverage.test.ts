/**
 * src/validate/glyphs.ts: the shipped fonts' character coverage, as worked out from the fonts and
 * as kept in the build cache. The module keeps what it worked out for the rest of the process, so
 * every test here imports it afresh; the cache is a stand-in that hands back a planted entry.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BuildCache } from '../../src/cache.js';
import { Diagnostics } from '../../src/diagnostics.js';

type Glyphs = typeof import('../../src/validate/glyphs.js');

async function fresh(): Promise<Glyphs> {
  vi.resetModules();
  return import('../../src/validate/glyphs.js');
}

/** A cache that answers every read with `planted` and records what is written. */
function cache(planted: unknown) {
  const reads: string[] = [];
  const writes: Array<{ name: string; data: string }> = [];
  const c = {
    readJson: (name: string) => {
      reads.push(name);
      return planted;
    },
    write: (name: string, data: string) => writes.push({ name, data }),
  } as unknown as BuildCache;
  return { cache: c, reads, writes };
}

const warnings = (glyphs: Glyphs, text: string, c?: BuildCache) => {
  const diagnostics = new Diagnostics();
  glyphs.checkGlyphs([{ display: 'a.md', text }], diagnostics, c);
  return diagnostics.list.map((d) => d.message);
};

let glyphs: Glyphs;
beforeEach(async () => {
  glyphs = await fresh();
});

describe('the fonts’ coverage, worked out', () => {
  it('is kept in the cache as sorted runs, adjacent code points joined, under a name of the font files', () => {
    const { cache: c, reads, writes } = cache(undefined);
    expect(glyphs.isCovered(0x41, c)).toBe(true);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.name).toMatch(/^glyph-coverage-[0-9a-f]{16,}\.json$/);
    expect(reads).toEqual([writes[0]!.name]);
    const runs = JSON.parse(writes[0]!.data) as Array<[number, number]>;
    expect(runs.length).toBeGreaterThan(10);
    let previous = -2;
    for (const [a, b] of runs) {
      expect(Number.isInteger(a) && Number.isInteger(b)).toBe(true);
      // Sorted, disjoint, and not adjacent: adjacent ones would be one run.
      expect(a).toBeGreaterThan(previous + 1);
      expect(b).toBeGreaterThanOrEqual(a);
      previous = b;
    }
    // Printable ASCII is one run.
    expect(runs.some(([a, b]) => a <= 0x20 && b >= 0x7e)).toBe(true);
    // Asked again, it is not worked out or written again.
    expect(glyphs.isCovered(0x4e00, c)).toBe(false);
    expect(writes).toHaveLength(1);
  });

  it('counts what needs no glyph as covered, and its printing neighbours by the fonts', () => {
    for (const cp of [0x00, 0x1f, 0x7f, 0x9f, 0x200b, 0x200f, 0x202a, 0x202e, 0x2060, 0x2069, 0xfe0e, 0xfe0f, 0xfeff]) expect(glyphs.isCovered(cp), cp.toString(16)).toBe(true);
    for (const cp of [0x206a, 0xfe0d, 0xfe10, 0xfefe, 0xe000, 0x10ffff]) expect(glyphs.isCovered(cp), cp.toString(16)).toBe(false);
  });

  it('gives a text of Latin-1 alone no warning, and one with a character beyond it its warning', () => {
    expect(warnings(glyphs, 'Zürich, café ½ £5 ÿ\n\tnext\r\n')).toEqual([]);
    expect(warnings(glyphs, '\u4e00')).toEqual(['no shipped font has the character "\u4e00" (U+4E00)']);
    expect(warnings(glyphs, 'café \u4e00')).toEqual(['no shipped font has the character "\u4e00" (U+4E00)']);
  });
});

describe('the fonts’ coverage, from the cache', () => {
  it('is taken as it is when it is sorted runs within Unicode', async () => {
    const planted = [
      [0, 0],
      [0x41, 0x42],
      [0x43, 0x43],
      [0x4e00, 0x4e00],
      [0x10fffe, 0x10ffff],
    ];
    const { cache: c, writes } = cache(planted);
    expect(glyphs.isCovered(0x41, c)).toBe(true);
    expect(writes).toEqual([]);
    expect(glyphs.isCovered(0x43, c)).toBe(true);
    expect(glyphs.isCovered(0x4e00, c)).toBe(true);
    expect(glyphs.isCovered(0x44, c)).toBe(false);
    expect(glyphs.isCovered(0x10ffff, c)).toBe(true);
    // Latin-1 is then not all covered, so text is looked at character by character.
    expect(warnings(glyphs, 'AZ', c)).toEqual(['no shipped font has the character "Z" (U+005A)']);
  });

  it('takes a cache of 100,000 runs, the most it reads', () => {
    const planted = Array.from({ length: 100_000 }, (_, i) => [2 * i, 2 * i]);
    const { cache: c, writes } = cache(planted);
    expect(glyphs.isCovered(0x42, c)).toBe(true);
    expect(glyphs.isCovered(0x41, c)).toBe(false);
    expect(writes).toEqual([]);
  });

  const broken: Array<[string, unknown]> = [
    ['not a list', { 0: [0, 0x10ffff] }],
    ['too long', Array.from({ length: 100_001 }, (_, i) => [2 * i, 2 * i])],
    ['a run not a pair', [[0x41, 0x42, 0x43]]],
    ['a run of one', [[0x41]]],
    ['a run not a list', [0x41]],
    ['a start not a whole number', [[64.5, 0x41]]],
    ['an end not a whole number', [[0x41, '0x42']]],
    ['runs out of order', [[0x50, 0x60], [0x41, 0x42]]],
    ['runs that overlap', [[0x41, 0x50], [0x50, 0x60]]],
    ['a run that ends before it starts', [[0x42, 0x41]]],
    ['a run beyond Unicode', [[0x41, 0x110000]]],
    ['a start below zero', [[-1, 0x41]]],
  ];
  for (const [what, planted] of broken) {
    it(`is not taken when it is ${what}: the fonts are read, and the cache written anew`, () => {
      const { cache: c, writes } = cache(planted);
      // The fonts have Latin capitals and no CJK, whatever was planted.
      expect(glyphs.isCovered(0x45, c)).toBe(true);
      expect(glyphs.isCovered(0x4e00, c)).toBe(false);
      expect(writes).toHaveLength(1);
    });
  }
});

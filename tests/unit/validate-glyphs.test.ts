/** src/validate/glyphs.ts: a warning for characters no shipped font prints, at their first place. */
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../../src/diagnostics.js';
import { checkGlyphs, isCovered } from '../../src/validate/glyphs.js';

function warnings(...texts: string[]) {
  const diagnostics = new Diagnostics();
  checkGlyphs(
    texts.map((text, i) => ({ display: `file-${i}.md`, text })),
    diagnostics,
  );
  return diagnostics.list.map((d) => `${d.file}:${d.position?.line}:${d.position?.column} ${d.severity} ${d.rule} ${d.message}`);
}

describe('characters no shipped font has', () => {
  it('are none in Latin-1 text, Arabic or typographic punctuation', () => {
    expect(warnings('Zürich, café — “quoted” ½ £5\n\tnext line', 'مرحبا بالعالم', 'a\u00a0b\u2011c\u202fd')).toEqual([]);
  });

  it('are warned once per file, at the first, each named with its code point', () => {
    expect(warnings('ab\ncd \u0378 and \u0378 again', 'no problem here', '\u4e00')).toEqual([
      'file-0.md:2:4 warning font/missing-glyph no shipped font has the character "\u0378" (U+0378)',
      'file-2.md:1:1 warning font/missing-glyph no shipped font has the character "\u4e00" (U+4E00)',
    ]);
  });

  it('are listed together, twelve at most and how many more', () => {
    const cjk = [...'一二三四五六七八九十百千万億'];
    expect(warnings(`x ${cjk.join('')} 一`)).toEqual([
      `file-0.md:1:3 warning font/missing-glyph no shipped font has these 14 characters: ${cjk
        .slice(0, 12)
        .map((c) => `"${c}" (U+${c.codePointAt(0)!.toString(16).toUpperCase()})`)
        .join(', ')} and 2 more`,
    ]);
    expect(warnings('☂ ☃')).toEqual(['file-0.md:1:1 warning font/missing-glyph no shipped font has these 2 characters: "☂" (U+2602), "☃" (U+2603)']);
  });

  it('are found past characters outside the Basic Multilingual Plane, counted as the editor counts them', () => {
    expect(warnings('\u{1F600}x\u3042')).toEqual([
      'file-0.md:1:1 warning font/missing-glyph no shipped font has these 2 characters: "\u{1F600}" (U+1F600), "\u3042" (U+3042)',
    ]);
    expect(warnings('ab\u{1F600}')).toEqual(['file-0.md:1:3 warning font/missing-glyph no shipped font has the character "\u{1F600}" (U+1F600)']);
    expect(warnings('\u0627\u{1D400}\u3042')[0]).toMatch(/^file-0\.md:1:2 /);
    expect(warnings('\u0627\u{1D400}x\u3042')[0]).toContain('these 2 characters');
  });

  it('do not include controls, joiners, marks of direction and variation selectors, which print nothing', () => {
    const silent = [0x00, 0x09, 0x1f, 0x7f, 0x85, 0x9f, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202c, 0x202e, 0x2060, 0x2066, 0x2069, 0xfe0e, 0xfe0f, 0xfeff];
    for (const cp of silent) expect(isCovered(cp), cp.toString(16)).toBe(true);
    expect(warnings(`a${silent.map((cp) => String.fromCodePoint(cp)).join('')}b`)).toEqual([]);
    // Their neighbours that do print are checked like any character.
    for (const cp of [0x206a, 0xfe0d, 0xfe10, 0xfefe, 0xe000, 0x10ffff]) expect(isCovered(cp), cp.toString(16)).toBe(false);
    for (const cp of [0x20, 0x7e, 0xa0, 0x2010, 0x2070]) expect(isCovered(cp), cp.toString(16)).toBe(true);
  });
});

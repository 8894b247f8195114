/**
 * Characters that no shipped font can print. Chromium would silently fall back to a system
 * font (different on every machine) or print a box; we warn at the character's first place
 * in each input file instead.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { contentKey, type BuildCache } from '../cache.js';
import type { Diagnostics } from '../diagnostics.js';
import { printFonts } from '../fonts.js';

interface FontkitFont {
  characterSet: number[];
  hasGlyphForCodePoint(codePoint: number): boolean;
}

/** Sorted, disjoint runs of code points [first, last]. */
type Ranges = Array<[number, number]>;

let coverage: Ranges | undefined;

/**
 * Every character some shipped font has a glyph for, as runs. Reading the fonts' character maps
 * takes fontkit and a fifth of a second, so the answer is kept in the build cache (signed, like
 * every entry), under a name that changes with the font files. (It was kept in the shared
 * temporary folder, where anyone could plant an answer: one silenced this check, another took
 * 1.5 GB to read.)
 */
function coveredRanges(cache: BuildCache | undefined): Ranges {
  if (coverage) return coverage;
  // The regular face of each family: weights and styles share a character set.
  const files = printFonts()
    .filter((f) => f.style === 'normal' && f.weight === 400)
    .map((f) => f.file);
  const name = `glyph-coverage-${contentKey(...files.map((f) => `${f}:${statSync(f).size}:${statSync(f).mtimeMs}`))}.json`;
  const kept = cache?.readJson<unknown>(name);
  if (isRanges(kept)) {
    coverage = kept;
    return coverage;
  }
  const require = createRequire(import.meta.url);
  const fontkit = require('fontkit') as { openSync(file: string): FontkitFont };
  const points = new Set<number>();
  for (const file of files) {
    const font = fontkit.openSync(file);
    for (const cp of font.characterSet) if (font.hasGlyphForCodePoint(cp)) points.add(cp);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const ranges: Ranges = [];
  for (const cp of sorted) {
    const last = ranges.at(-1);
    if (last && cp === last[1] + 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  coverage = ranges;
  cache?.write(name, JSON.stringify(ranges));
  return coverage;
}

/** Sorted, disjoint runs within Unicode: what coveredRanges writes, and nothing else. */
function isRanges(value: unknown): value is Ranges {
  if (!Array.isArray(value) || value.length > 100_000) return false;
  let previous = -1;
  for (const run of value) {
    if (!Array.isArray(run) || run.length !== 2) return false;
    const [a, b] = run as unknown[];
    if (!Number.isInteger(a) || !Number.isInteger(b) || (a as number) <= previous || (b as number) < (a as number) || (b as number) > 0x10ffff) return false;
    previous = b as number;
  }
  return true;
}

function inRanges(ranges: Ranges, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Characters that need no glyph: controls, spaces Chromium handles itself, joiners and marks of direction. */
function needsGlyph(cp: number): boolean {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return false;
  if (cp >= 0x200b && cp <= 0x200f) return false; // zero-width space, joiners, LRM/RLM
  if (cp >= 0x202a && cp <= 0x202e) return false; // bidi embeddings
  if (cp >= 0x2060 && cp <= 0x2069) return false; // word joiner, bidi isolates
  if (cp === 0xfeff || cp === 0xfe0f || cp === 0xfe0e) return false; // BOM, variation selectors
  return true;
}

const covered = new Map<number, boolean>();

export function isCovered(cp: number, cache?: BuildCache): boolean {
  if (!needsGlyph(cp)) return true;
  let result = covered.get(cp);
  if (result === undefined) {
    result = inRanges(coveredRanges(cache), cp);
    covered.set(cp, result);
  }
  return result;
}

/** Characters of the Latin-1 range, if the shipped fonts have them all: a file of only these needs no closer look. */
let latin1: RegExp | null | undefined;

function latin1Only(cache: BuildCache | undefined): RegExp | null {
  if (latin1 === undefined) {
    let all = true;
    for (let cp = 0x20; cp <= 0xff; cp++) if (!isCovered(cp, cache)) all = false;
    latin1 = all ? /^[\t\n\r\x20-\x7e\u00a0-\u00ff]*$/ : null;
  }
  return latin1;
}

/** One warning per file, at the first character no shipped font has, listing all such characters. */
export function checkGlyphs(files: ReadonlyArray<{ display: string; text: string }>, diagnostics: Diagnostics, cache?: BuildCache): void {
  for (const { display, text } of files) {
    if (latin1Only(cache)?.test(text)) continue;
    const missing: string[] = [];
    const seen = new Set<string>();
    let first: { line: number; column: number } | undefined;
    let line = 1;
    let column = 1;
    for (const ch of text) {
      if (ch === '\n') {
        line++;
        column = 1;
        continue;
      }
      const cp = ch.codePointAt(0)!;
      if (!seen.has(ch) && !isCovered(cp, cache)) {
        seen.add(ch);
        missing.push(ch);
        first ??= { line, column };
      }
      column += ch.length;
    }
    if (!first) continue;
    const code = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const shown = missing.slice(0, 12);
    const more = missing.length > shown.length ? ` and ${missing.length - shown.length} more` : '';
    const message =
      missing.length === 1
        ? `no shipped font has the character "${missing[0]}" (${code(missing[0]!)})`
        : `no shipped font has these ${missing.length} characters: ${shown.map((c) => `"${c}" (${code(c)})`).join(', ')}${more}`;
    diagnostics.warn('font/missing-glyph', message, { file: display, position: first });
  }
}

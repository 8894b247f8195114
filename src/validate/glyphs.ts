/**
 * Characters that no shipped font can print. Chromium would silently fall back to a system
 * font (different on every machine) or print a box; we warn at the character's first place
 * in each input file instead.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Diagnostics } from '../diagnostics.js';
import { displayPath } from '../io.js';
import { printFonts } from '../render/fonts.js';

interface FontkitFont {
  characterSet: number[];
  hasGlyphForCodePoint(codePoint: number): boolean;
}

let coverage: Set<number> | undefined;

/**
 * Every character some shipped font has a glyph for. Reading the fonts' character maps takes
 * fontkit and a fifth of a second, so the answer is kept in the temporary folder, under a name
 * that changes with the font files.
 */
function coveredCodePoints(): Set<number> {
  if (coverage) return coverage;
  // The regular face of each family: weights and styles share a character set.
  const files = printFonts()
    .filter((f) => f.style === 'normal' && f.weight === 400)
    .map((f) => f.file);
  const key = createHash('sha256')
    .update(files.map((f) => `${f}:${statSync(f).size}:${statSync(f).mtimeMs}`).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const cacheFile = path.join(os.tmpdir(), `briefpack-coverage-${key}.json`);
  try {
    const ranges = JSON.parse(readFileSync(cacheFile, 'utf8')) as Array<[number, number]>;
    coverage = new Set(ranges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i)));
    return coverage;
  } catch {
    // Not computed yet on this machine (or unreadable): compute it below.
  }
  const require = createRequire(import.meta.url);
  const fontkit = require('fontkit') as { openSync(file: string): FontkitFont };
  const points = new Set<number>();
  for (const file of files) {
    const font = fontkit.openSync(file);
    for (const cp of font.characterSet) if (font.hasGlyphForCodePoint(cp)) points.add(cp);
  }
  coverage = points;
  const sorted = [...points].sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const cp of sorted) {
    const last = ranges.at(-1);
    if (last && cp === last[1] + 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  try {
    const temp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(ranges));
    renameSync(temp, cacheFile);
  } catch {
    // Only the next build's speed is at stake.
  }
  return coverage;
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

export function isCovered(cp: number): boolean {
  if (!needsGlyph(cp)) return true;
  let result = covered.get(cp);
  if (result === undefined) {
    result = coveredCodePoints().has(cp);
    covered.set(cp, result);
  }
  return result;
}

/** Characters of the Latin-1 range, if the shipped fonts have them all: a file of only these needs no closer look. */
let latin1: RegExp | null | undefined;

function latin1Only(): RegExp | null {
  if (latin1 === undefined) {
    let all = true;
    for (let cp = 0x20; cp <= 0xff; cp++) if (!isCovered(cp)) all = false;
    latin1 = all ? /^[\t\n\r\x20-\x7e\u00a0-\u00ff]*$/ : null;
  }
  return latin1;
}

/** One warning per file, at the first character no shipped font has, listing all such characters. */
export function checkGlyphs(files: readonly string[], diagnostics: Diagnostics): void {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (latin1Only()?.test(text)) continue;
    const missing: string[] = [];
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
      if (!missing.includes(ch) && !isCovered(cp)) {
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
    diagnostics.warn('font/missing-glyph', message, { file: displayPath(file), position: first });
  }
}

/**
 * Characters that no shipped font can print. Chromium would silently fall back to a system
 * font (different on every machine) or print a box; we warn at the character's first place
 * in each input file instead.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Diagnostics } from '../diagnostics.js';
import { displayPath } from '../io.js';
import { printFonts } from '../render/fonts.js';

interface FontkitFont {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

let coverage: Array<FontkitFont> | undefined;

function fontsForCoverage(): FontkitFont[] {
  if (coverage) return coverage;
  const require = createRequire(import.meta.url);
  const fontkit = require('fontkit') as { openSync(file: string): FontkitFont };
  // The regular face of each family: weights and styles share a character set.
  coverage = printFonts()
    .filter((f) => f.style === 'normal' && f.weight === 400)
    .map((f) => fontkit.openSync(f.file));
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
    result = fontsForCoverage().some((f) => f.hasGlyphForCodePoint(cp));
    covered.set(cp, result);
  }
  return result;
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

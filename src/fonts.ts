/**
 * The shipped fonts, from npm packages, never from the system, so every machine prints the same
 * glyphs. Print uses complete TrueType files (@expo-google-fonts), which Chromium also gets as its
 * only "system" fonts; EPUB and HTML carry the smaller WOFF2 subsets (@fontsource) they need.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface FontFace {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  subset: string;
  unicodeRange: string;
  /** Absolute path of the woff2 file. */
  file: string;
  /** Stable file name used inside the EPUB and in print URLs. */
  name: string;
  /** The monospace face for code: an EPUB or web page carries it only for the text of code. */
  code: boolean;
}

interface FamilySpec {
  pkg: string;
  /** The same family as complete TrueType files, for print. */
  ttfPkg: string;
  ttfStem: string;
  family: string;
  faces: Array<[number, 'normal' | 'italic']>;
  subsets: string[];
  code?: boolean;
}

/**
 * Body text in Source Serif 4, headings and labels in Source Sans 3, Arabic in Noto Naskh Arabic,
 * code in Source Code Pro (the same family's monospace: the same x-height and stroke).
 */
const FAMILIES: FamilySpec[] = [
  {
    pkg: '@fontsource/source-serif-4',
    ttfPkg: '@expo-google-fonts/source-serif-4',
    ttfStem: 'SourceSerif4',
    family: 'Source Serif 4',
    faces: [[400, 'normal'], [400, 'italic'], [600, 'normal'], [700, 'normal'], [700, 'italic']],
    subsets: ['latin', 'latin-ext', 'greek', 'cyrillic', 'cyrillic-ext', 'vietnamese'],
  },
  {
    pkg: '@fontsource/source-sans-3',
    ttfPkg: '@expo-google-fonts/source-sans-3',
    ttfStem: 'SourceSans3',
    family: 'Source Sans 3',
    faces: [[400, 'normal'], [400, 'italic'], [600, 'normal'], [700, 'normal']],
    subsets: ['latin', 'latin-ext', 'greek', 'cyrillic', 'cyrillic-ext', 'vietnamese'],
  },
  {
    pkg: '@fontsource/noto-naskh-arabic',
    ttfPkg: '@expo-google-fonts/noto-naskh-arabic',
    ttfStem: 'NotoNaskhArabic',
    family: 'Noto Naskh Arabic',
    faces: [[400, 'normal'], [700, 'normal']],
    subsets: ['arabic'],
  },
  {
    pkg: '@fontsource/source-code-pro',
    ttfPkg: '@expo-google-fonts/source-code-pro',
    ttfStem: 'SourceCodePro',
    family: 'Source Code Pro',
    // Italic for comments, semibold for keywords (see the highlighting in base.css), bold as in text.
    faces: [[400, 'normal'], [400, 'italic'], [600, 'normal'], [700, 'normal']],
    subsets: ['latin', 'latin-ext', 'greek', 'cyrillic', 'cyrillic-ext', 'vietnamese'],
    code: true,
  },
];

let cached: FontFace[] | undefined;
let cachedPrint: PrintFace[] | undefined;

export interface PrintFace {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  file: string; // absolute path of the .ttf
  name: string; // stable URL name
}

const WEIGHT_NAMES: Record<number, string> = { 400: 'Regular', 600: 'SemiBold', 700: 'Bold' };

/** Complete TrueType faces for print (and for glyph coverage checks). */
export function printFonts(): PrintFace[] {
  if (cachedPrint) return cachedPrint;
  const require = createRequire(import.meta.url);
  cachedPrint = FAMILIES.flatMap((spec) => {
    const dir = path.dirname(require.resolve(`${spec.ttfPkg}/package.json`));
    return spec.faces.map(([weight, style]) => {
      const variant = `${weight}${WEIGHT_NAMES[weight]}${style === 'italic' ? '_Italic' : ''}`;
      const name = `${spec.ttfStem}_${variant}.ttf`;
      return { family: spec.family, weight, style, file: path.join(dir, variant, name), name };
    });
  });
  return cachedPrint;
}

export function shippedFonts(): FontFace[] {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const faces: FontFace[] = [];
  for (const spec of FAMILIES) {
    const dir = path.dirname(require.resolve(`${spec.pkg}/package.json`));
    const ranges = JSON.parse(readFileSync(path.join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
    const stem = path.basename(spec.pkg);
    for (const subset of spec.subsets) {
      const unicodeRange = ranges[subset];
      if (!unicodeRange) continue;
      for (const [weight, style] of spec.faces) {
        const name = `${stem}-${subset}-${weight}-${style}.woff2`;
        faces.push({ family: spec.family, weight, style, subset, unicodeRange, file: path.join(dir, 'files', name), name, code: spec.code ?? false });
      }
    }
  }
  cached = faces;
  return faces;
}

/** `@font-face` rules pointing at `urlFor(face)`; subsets carry their unicode-range. */
export function fontFaceCss<F extends FontFace | PrintFace>(faces: readonly F[], urlFor: (face: F) => string): string {
  return faces
    .map((f) => {
      const range = 'unicodeRange' in f ? ` unicode-range: ${f.unicodeRange};` : '';
      const format = f.file.endsWith('.ttf') ? 'truetype' : 'woff2';
      return `@font-face { font-family: "${f.family}"; font-style: ${f.style}; font-weight: ${f.weight}; src: url("${urlFor(f)}") format("${format}");${range} }`;
    })
    .join('\n');
}

function parseRanges(unicodeRange: string): Array<[number, number]> {
  return unicodeRange.split(',').map((part) => {
    const [a, b] = part.trim().replace(/^U\+/i, '').split('-');
    const start = parseInt(a!, 16);
    return [start, b ? parseInt(b, 16) : start];
  });
}

/**
 * What an EPUB or web page must carry: the text faces whose subsets cover a character of `text`,
 * and the code faces whose subsets cover a character of `code` (the text of its code, part of
 * `text` too: a character the monospace face lacks falls back to the text faces).
 */
export function facesFor(text: string, code: string): FontFace[] {
  const faces = shippedFonts();
  const used = new Set([...facesUsedBy(text, faces.filter((f) => !f.code)), ...(code ? facesUsedBy(code, faces.filter((f) => f.code)) : [])]);
  return faces.filter((f) => used.has(f));
}

/** The faces whose subset covers at least one character of `text`. */
export function facesUsedBy(text: string, faces: readonly FontFace[] = shippedFonts()): FontFace[] {
  // Packs run to megabytes of text: ASCII (most of it) is collected through a flag table.
  const codePoints = new Set<number>();
  const ascii = new Uint8Array(128);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 128) {
      ascii[unit] = 1;
      continue;
    }
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    codePoints.add(cp);
  }
  ascii.forEach((seen, cp) => seen && codePoints.add(cp));
  const usedSubsets = new Set<string>();
  for (const face of faces) {
    const key = `${face.family}/${face.subset}`;
    if (usedSubsets.has(key)) continue;
    const ranges = parseRanges(face.unicodeRange);
    for (const cp of codePoints) {
      if (ranges.some(([a, b]) => cp >= a && cp <= b)) {
        usedSubsets.add(key);
        break;
      }
    }
  }
  return faces.filter((f) => usedSubsets.has(`${f.family}/${f.subset}`));
}

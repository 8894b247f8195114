/**
 * The shipped fonts: npm @fontsource packages, split by Unicode subset. Every medium loads them
 * from these files (never from the system), so every machine prints the same glyphs.
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
}

interface FamilySpec {
  pkg: string;
  family: string;
  faces: Array<[number, 'normal' | 'italic']>;
  subsets: string[];
}

/** Body text in Source Serif 4, headings and labels in Source Sans 3, Arabic in Noto Naskh Arabic. */
const FAMILIES: FamilySpec[] = [
  {
    pkg: '@fontsource/source-serif-4',
    family: 'Source Serif 4',
    faces: [[400, 'normal'], [400, 'italic'], [600, 'normal'], [700, 'normal'], [700, 'italic']],
    subsets: ['latin', 'latin-ext', 'greek', 'cyrillic', 'cyrillic-ext', 'vietnamese'],
  },
  {
    pkg: '@fontsource/source-sans-3',
    family: 'Source Sans 3',
    faces: [[400, 'normal'], [400, 'italic'], [600, 'normal'], [700, 'normal']],
    subsets: ['latin', 'latin-ext', 'greek', 'cyrillic', 'cyrillic-ext', 'vietnamese'],
  },
  {
    pkg: '@fontsource/noto-naskh-arabic',
    family: 'Noto Naskh Arabic',
    faces: [[400, 'normal'], [700, 'normal']],
    subsets: ['arabic'],
  },
];

let cached: FontFace[] | undefined;

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
        faces.push({ family: spec.family, weight, style, subset, unicodeRange, file: path.join(dir, 'files', name), name });
      }
    }
  }
  cached = faces;
  return faces;
}

/** `@font-face` rules pointing at `urlFor(face)`. */
export function fontFaceCss(faces: readonly FontFace[], urlFor: (face: FontFace) => string): string {
  return faces
    .map(
      (f) =>
        `@font-face { font-family: "${f.family}"; font-style: ${f.style}; font-weight: ${f.weight}; ` +
        `src: url("${urlFor(f)}") format("woff2"); unicode-range: ${f.unicodeRange}; }`,
    )
    .join('\n');
}

function parseRanges(unicodeRange: string): Array<[number, number]> {
  return unicodeRange.split(',').map((part) => {
    const [a, b] = part.trim().replace(/^U\+/i, '').split('-');
    const start = parseInt(a!, 16);
    return [start, b ? parseInt(b, 16) : start];
  });
}

/** The faces whose subset covers at least one character of `text`: what an EPUB or web page must carry. */
export function facesUsedBy(text: string, faces: readonly FontFace[] = shippedFonts()): FontFace[] {
  const codePoints = new Set<number>();
  for (const ch of text) codePoints.add(ch.codePointAt(0)!);
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

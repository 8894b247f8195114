/**
 * How much an article weighs in print, from its text alone, before it is parsed: its characters,
 * and an eighth of the bytes of every image file it names (a character of Markdown comes to
 * about seven bytes of PDF; an image, to about its own size). The print is planned in parts by
 * these weights, so they depend on the pack's files alone: the same pack, the same parts, on
 * every machine.
 */
import { statSync } from 'node:fs';
import path from 'node:path';

const IMAGE_BYTES_PER_CHARACTER = 8;

/** Images in Markdown (inline), in HTML, and link definitions that name an image file. */
const IMAGE_REFERENCES = [
  /!\[[^\]\n]*\]\(\s*(<[^>\n]*>|[^\s)]+)/g,
  /<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)/gi,
  /^ {0,3}\[[^\]\n]+\]:\s*(<[^>\n]*>|\S+\.(?:png|jpe?g|gif|svg|webp|avif))(?=\s|$)/gim,
];

export function printWeight(text: string, articleFile: string, packRoot: string): number {
  const files = new Set<string>();
  for (const pattern of IMAGE_REFERENCES) {
    for (const match of text.matchAll(pattern)) {
      const target = imageFile(match[1]!, articleFile, packRoot);
      if (target) files.add(target);
    }
  }
  let bytes = 0;
  for (const file of files) {
    try {
      const stat = statSync(file);
      if (stat.isFile()) bytes += stat.size;
    } catch {
      // A missing image is reported when the article is transformed; it weighs nothing.
    }
  }
  return text.length + Math.round(bytes / IMAGE_BYTES_PER_CHARACTER);
}

/** The file a reference names, if it is a file inside the pack (remote images are refused anyway). */
function imageFile(reference: string, articleFile: string, packRoot: string): string | undefined {
  let ref = reference.replace(/^<|>$/g, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('#') || ref.startsWith('//')) return undefined;
  ref = ref.replace(/[?#].*$/, '');
  try {
    ref = decodeURIComponent(ref);
  } catch {
    // Kept as written.
  }
  const file = path.resolve(path.dirname(articleFile), ref);
  const relative = path.relative(packRoot, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : file;
}

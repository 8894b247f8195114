/**
 * The pack's images for one build: each file read once, checked, and kept as the bytes that every
 * output carries. What is checked is what is published: the PDF, the EPUB and the HTML take these
 * bytes, never the file again, so a file swapped during the build cannot slip in.
 *
 * A file is taken only if it is a regular file inside the pack folder (by its real path: a link
 * inside the pack is fine, one out of it is not), of a bounded size (50 MB), and holds the image its name
 * promises (or another kind of image, which is then carried as what it is, with a warning).
 * Raster images are bounded in pixels too: Chromium quietly prints a placeholder for one it will
 * not decode. SVG files are sanitized (see svg.ts).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { isProblem, readPackFile, SIZE_LIMITS } from '../load/pack-file.js';
import { rasterInfo } from './raster.js';
import { sanitizeSvg } from './svg.js';

/** 100 megapixels: a photograph of 12,000 × 8,000 fits; Chromium declines to print far larger ones. */
export const MAX_IMAGE_PIXELS = 100_000_000;

export const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
};

const EXTENSION_OF: Readonly<Record<string, string>> = {
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/svg+xml': '.svg',
  'image/webp': '.webp',
};

export interface StoredImage {
  /** Pack-relative path with `/`, as chapters name it. */
  file: string;
  data: Buffer;
  mediaType: string;
  /** The file extension that goes with what the file holds. */
  extension: string;
  sha256: string;
  width?: number;
  height?: number;
  /** Things said about the file that the author should know (what sanitizing removed, a wrong extension). */
  notes: string[];
}

export interface ImageProblem {
  problem: string;
  hint?: string;
}

export class ImageStore {
  private readonly loaded = new Map<string, StoredImage | ImageProblem>();

  constructor(readonly packRoot: string) {}

  /** The image at `absolute` (a path inside the pack as written, before links are followed). */
  load(absolute: string): StoredImage | ImageProblem {
    const file = path.relative(this.packRoot, absolute).split(path.sep).join('/');
    let result = this.loaded.get(file);
    if (!result) {
      result = this.read(absolute, file);
      this.loaded.set(file, result);
    }
    return result;
  }

  /** An image the transform loaded (by its pack-relative path): what the writers take. */
  get(file: string): StoredImage {
    const image = this.loaded.get(file);
    if (!image || !('data' in image)) throw new Error(`image ${file} was not loaded by the transform`);
    return image;
  }

  private read(absolute: string, file: string): StoredImage | ImageProblem {
    if (file === '' || file.startsWith('..') || path.isAbsolute(file)) return { problem: 'is outside the pack folder' };
    const extension = path.extname(absolute).toLowerCase();
    const promised = IMAGE_EXTENSIONS[extension];
    if (!promised) return { problem: 'is not a PNG, JPEG, GIF, SVG or WebP file', hint: 'Use one of the extensions .png, .jpg, .jpeg, .gif, .svg, .webp.' };
    // Read as every file of the pack is read (see load/pack-file.ts): once, through one
    // descriptor, a regular file inside the pack by its real path, and no larger than the limit.
    const read = readPackFile(this.packRoot, absolute, SIZE_LIMITS.image);
    if (isProblem(read)) return { problem: read.missing ? 'not found' : read.problem.message.replace(/^this file /, ''), hint: read.problem.hint };
    const bytes = { data: read.bytes };
    const notes: string[] = [];
    const sha256 = createHash('sha256').update(bytes.data).digest('hex');
    const raster = rasterInfo(bytes.data);
    if (raster) {
      if (raster.mediaType !== promised) notes.push(`is named as ${describe(promised)} but holds ${describe(raster.mediaType)}; it is published as what it holds`);
      if (raster.width * raster.height > MAX_IMAGE_PIXELS) {
        return {
          problem: `is ${raster.width} × ${raster.height} pixels (${Math.round((raster.width * raster.height) / 1e6)} megapixels), more than briefpack prints (${MAX_IMAGE_PIXELS / 1e6} megapixels)`,
          hint: 'Scale the image down: 3,000 pixels across is plenty for a full page in print.',
        };
      }
      return { file, data: bytes.data, mediaType: raster.mediaType, extension: EXTENSION_OF[raster.mediaType]!, sha256, width: raster.width, height: raster.height, notes };
    }
    if (promised !== 'image/svg+xml') return { problem: `does not hold ${describe(promised)} (nor any other image briefpack knows)` };
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.data).replace(/^\uFEFF/, '');
    } catch {
      return { problem: 'is not an SVG file (not UTF-8 text)' };
    }
    const svg = sanitizeSvg(text);
    if ('problem' in svg) return { problem: `is not an SVG drawing: ${svg.problem}` };
    if (svg.removed.length) notes.push(`had things removed that an image may not hold: ${svg.removed.join(', ')}; the drawing is kept`);
    return { file, data: svg.data, mediaType: 'image/svg+xml', extension: '.svg', sha256, width: svg.width, height: svg.height, notes };
  }

}

function describe(mediaType: string): string {
  return { 'image/png': 'a PNG image', 'image/jpeg': 'a JPEG image', 'image/gif': 'a GIF image', 'image/webp': 'a WebP image', 'image/svg+xml': 'an SVG drawing' }[mediaType] ?? mediaType;
}


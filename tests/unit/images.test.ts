/**
 * Images as the outputs carry them: read once, checked to be what they say, bounded in size and
 * pixels, SVG stripped of everything that runs or reaches out.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rasterInfo } from '../../src/images/raster.js';
import { ImageStore, type StoredImage } from '../../src/images/store.js';
import { sanitizeSvg } from '../../src/images/svg.js';
// @ts-expect-error: a plain JS module shared with the benchmark
import { makePng } from '../../scripts/generate-pack.mjs';
import { ROOT, tempDir } from '../helpers/cli.js';
import { checkArticles } from '../helpers/chapter.js';

const HOSTILE_SVG = readFileSync(path.join(ROOT, 'tests/fixtures/edge-pack/images/hostile.svg'), 'utf8');

/** A JPEG's first bytes: start of image, an APP0 segment, a start-of-frame of `w` × `h`. */
function jpegHeader(w: number, h: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 0xff, w >> 8, w & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.alloc(16)]);
}

/** A PNG header that claims `w` × `h` (the pixel data is never read). */
function pngHeader(w: number, h: number): Buffer {
  const b = Buffer.from(makePng(2, 2));
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  return b;
}

describe('raster images', () => {
  it('are known by their bytes, with their size in pixels', () => {
    expect(rasterInfo(makePng(320, 180))).toEqual({ mediaType: 'image/png', width: 320, height: 180 });
    expect(rasterInfo(jpegHeader(640, 480))).toEqual({ mediaType: 'image/jpeg', width: 640, height: 480 });
    expect(rasterInfo(Buffer.from('GIF89a\x10\x00\x20\x00', 'latin1'))).toEqual({ mediaType: 'image/gif', width: 16, height: 32 });
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0, 'latin1');
    webp.write('WEBPVP8X', 8, 'latin1');
    webp.writeUIntLE(99, 24, 3);
    webp.writeUIntLE(49, 27, 3);
    expect(rasterInfo(webp)).toEqual({ mediaType: 'image/webp', width: 100, height: 50 });
    expect(rasterInfo(Buffer.from('not an image at all'))).toBeUndefined();
  });
});

describe('the image store', () => {
  const pack = () => {
    const dir = tempDir('briefpack-images-');
    mkdirSync(path.join(dir, 'images'));
    return dir;
  };
  const load = (store: ImageStore, dir: string, file: string) => store.load(path.join(dir, file));

  it('takes a regular file inside the pack, once, and serves those bytes after the file changed', () => {
    const dir = pack();
    const png = makePng(4, 4);
    writeFileSync(path.join(dir, 'images/a.png'), png);
    const store = new ImageStore(dir);
    const first = load(store, dir, 'images/a.png') as StoredImage;
    expect(first).toMatchObject({ file: 'images/a.png', mediaType: 'image/png', width: 4, height: 4, notes: [] });
    // Swapped for a link to a secret after the check: what every writer takes stays what was checked.
    rmSync(path.join(dir, 'images/a.png'));
    symlinkSync('/etc/passwd', path.join(dir, 'images/a.png'));
    expect(store.get('images/a.png').data.equals(Buffer.from(png))).toBe(true);
  });

  it('refuses what is not an image file of the pack, saying why', () => {
    const dir = pack();
    const outside = tempDir('briefpack-outside-');
    writeFileSync(path.join(outside, 'secret.png'), makePng(2, 2));
    symlinkSync(path.join(outside, 'secret.png'), path.join(dir, 'images/link.png'));
    writeFileSync(path.join(dir, 'images/text.png'), 'just text');
    writeFileSync(path.join(dir, 'images/huge.png'), pngHeader(30000, 30000));
    writeFileSync(path.join(dir, 'images/doc.pdf'), '%PDF-1.4');
    mkdirSync(path.join(dir, 'images/folder.png'));
    execFileSync('mkfifo', [path.join(dir, 'images/fifo.png')]);
    const store = new ImageStore(dir);
    const problem = (file: string) => (load(store, dir, file) as { problem: string }).problem;
    expect(problem('../secret.png')).toBe('is outside the pack folder');
    expect(problem('images/link.png')).toBe('is a link to a file outside the pack folder');
    expect(problem('images/missing.png')).toBe('not found');
    expect(problem('images/text.png')).toBe('does not hold a PNG image (nor any other image briefpack knows)');
    expect(problem('images/huge.png')).toBe('is 30000 × 30000 pixels (900 megapixels), more than briefpack prints (100 megapixels)');
    expect(problem('images/doc.pdf')).toBe('is not a PNG, JPEG, GIF, SVG or WebP file');
    expect(problem('images/folder.png')).toBe('is a folder, not a regular file');
    // A FIFO would block a reader forever: it is refused without a byte read.
    expect(problem('images/fifo.png')).toBe('is a FIFO (named pipe), not a regular file');
  });

  it('publishes an image as what it holds when its name says otherwise, and says so', () => {
    const dir = pack();
    writeFileSync(path.join(dir, 'images/photo.png'), jpegHeader(10, 10));
    const image = load(new ImageStore(dir), dir, 'images/photo.png') as StoredImage;
    expect(image).toMatchObject({ mediaType: 'image/jpeg', extension: '.jpg' });
    expect(image.notes).toEqual(['is named as a PNG image but holds a JPEG image; it is published as what it holds']);
  });
});

describe('SVG images', () => {
  it('keep the drawing and lose every script, handler, embedded document and outside reference', () => {
    const result = sanitizeSvg(HOSTILE_SVG);
    if ('problem' in result) throw new Error(result.problem);
    // Namespace names are URIs that nothing fetches: left out of the search.
    const svg = result.data.toString('utf8').replace(/ xmlns(:xlink)?="[^"]*"/g, '');
    for (const kept of ['<rect', '<circle', '<path d="M60 10 L100 50"', 'Safe text', 'viewBox="0 0 120 60"', 'fill: #2a5d8f']) expect(svg).toContain(kept);
    for (const gone of ['<script', 'alert', 'onload', 'onclick', 'foreignObject', 'iframe', 'http:', 'https:', 'file:', '@import', 'tracker', 'ENTITY', 'passwd']) expect(svg).not.toContain(gone);
    expect(result.removed).toEqual([
      'an onload handler',
      'an @import',
      'a <script>',
      'an onclick handler',
      'a <foreignObject>',
      '5 references outside the image (https://tracker.example.com/fill.svg#p, http://tracker.example.com/beacon.png, file:///etc/passwd, …)',
    ]);
    expect(result).toMatchObject({ width: 120, height: 60 });
  });

  it('keep references inside the file and embedded raster images, and an editor\'s bookkeeping goes quietly', () => {
    const result = sanitizeSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:version="1.0"><defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient><circle id="c" r="2"/></defs><metadata>rdf</metadata><use xlink:href="#c"/><rect fill="url(#g)" width="4" height="4"/><image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/></svg>',
    );
    if ('problem' in result) throw new Error(result.problem);
    const svg = result.data.toString('utf8');
    expect(svg).toContain('xlink:href="#c"');
    expect(svg).toContain('fill="url(#g)"');
    expect(svg).toContain('href="data:image/png;base64,');
    expect(svg).not.toContain('inkscape');
    expect(svg).not.toContain('metadata');
    expect(result.removed).toEqual([]);
  });

  it('are refused when they hold no drawing', () => {
    expect(sanitizeSvg('<html><body>text</body></html>')).toEqual({ problem: 'it holds no <svg> drawing' });
  });

  it('are reported once per article at the image, and what the chapter uses is the sanitized drawing', async () => {
    const { pack, messages } = await checkArticles({ a: 'Text.\n\n![A drawing](../images/h.svg)\n\n![Again](../images/h.svg)\n' }, { 'images/h.svg': HOSTILE_SVG });
    expect(messages.filter((m) => m.includes('markdown/image'))).toEqual([
      'articles/a.md:7:1 warning image ../images/h.svg had things removed that an image may not hold: an onload handler, an @import, a <script>, an onclick handler, a <foreignObject>, 5 references outside the image (https://tracker.example.com/fill.svg#p, http://tracker.example.com/beacon.png, file:///etc/passwd, …); the drawing is kept (markdown/image)',
    ]);
    expect(pack.images.get('images/h.svg').data.toString('utf8')).not.toContain('script');
  });
});

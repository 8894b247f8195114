/** An article's print weight: its characters and the image files it names, from its text alone. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printWeight } from '../../src/load/print-weight.js';
import { writePack } from '../helpers/pack.js';

describe('print weight', () => {
  const root = writePack({
    'images/big.png': Buffer.alloc(80_000),
    'images/small photo.jpg': Buffer.alloc(8_000),
    'images/c.webp': Buffer.alloc(800),
    'images/d.txt': Buffer.alloc(8_000_000),
    'images/folder.png/inside': '',
    'articles/one.md': '',
  });
  const article = path.join(root, 'articles', 'one.md');

  it('is the length of the text plus an eighth of the bytes of each image it names, once each', () => {
    const text = [
      '![A chart](../images/big.png "Title")',
      '<img alt="x" src="../images/small%20photo.jpg">',
      'Again: ![same chart](<../images/big.png>)',
      '[ref]: ../images/small%20photo.jpg',
    ].join('\n\n');
    expect(printWeight(text, article, root)).toBe(text.length + 10_000 + 1_000);
  });

  it('weighs nothing for images that are remote, outside the pack or missing', () => {
    const text = '![a](https://example.com/a.png) ![b](../../outside.png) ![c](../images/none.png) ![d](data:image/png;base64,AAAA)';
    expect(printWeight(text, article, root)).toBe(text.length);
  });

  it('finds images however they are written: query and fragment cut off, HTML in any case and quoting, definitions of image files', () => {
    const cases: Array<[string, number]> = [
      ['![a](../images/big.png?v=2#top)', 10_000],
      ['<IMG SRC=../images/big.png>', 10_000],
      ["<img\nalt='x' src = '../images/c.webp'>", 100],
      ['[map]: <../images/big.png>', 10_000],
      ['   [map]: ../images/C.WEBP', 0], // no such file: names are case-sensitive
      ['   [map]: ../images/c.webp "Title"', 100],
      ['[notes]: ../images/d.txt', 0], // a definition names an image only by its extension
      ['    [map]: ../images/big.png', 0], // indented four: code
      ['![a](#figure-1) ![b](//example.com/b.png) ![c](<https://example.com/c.png>)', 0],
      ['![folder](../images/folder.png)', 0],
      ['![broken](../images/big%zz.png)', 0],
    ];
    for (const [text, images] of cases) expect(printWeight(text, article, root), text).toBe(text.length + images);
  });
});

/** An article's print weight: its characters and the image files it names, from its text alone. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printWeight } from '../../src/load/print-weight.js';
import { writePack } from '../helpers/pack.js';

describe('print weight', () => {
  const root = writePack({
    'images/big.png': Buffer.alloc(80_000),
    'images/small photo.jpg': Buffer.alloc(8_000),
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
});

/**
 * src/transform/images.ts: what an article's images become (figures with captions, paths into the
 * pack, no alt text made up) and what is said about those that cannot be used, at their place.
 */
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JS module shared with the benchmark
import { makePng } from '../../scripts/generate-pack.mjs';
import { check } from '../../src/build.js';
import { BuildFailure } from '../../src/diagnostics.js';
import { checkArticles, type Checked } from '../helpers/chapter.js';
import { MINIMAL_MANIFEST, writePack } from '../helpers/pack.js';

let checked: Checked;

beforeAll(async () => {
  checked = await checkArticles(
    {
      a: [
        '![A map of the region](../images/map.png "Where the bases are")', // 5
        '',
        '![Chart](../images/map.png)', // 7
        '',
        'Text with ![an inline image](../images/map.png) in it.', // 9
        '',
        '![](../images/map.png)', // 11
        '',
        '![ ](../images/map%20copy.png?v=2#x)', // 13
      ].join('\n'),
    },
    { 'images/map.png': Buffer.from(makePng(2, 2)), 'images/map copy.png': Buffer.from(makePng(2, 2)) },
  );
});

describe("an article's images", () => {
  it('alone in a paragraph become a figure, captioned by the title when there is one', () => {
    const html = checked.html.a!;
    expect(html).toContain('<figure class="figure"><img src="images/map.png" alt="A map of the region"><figcaption>Where the bases are</figcaption></figure>');
    expect(html).toContain('<figure class="figure"><img src="images/map.png" alt="Chart"></figure>');
    expect(html).toContain('<p>Text with <img src="images/map.png" alt="an inline image"> in it.</p>');
  });

  it('are named by their path in the pack, each file once', () => {
    const chapter = checked.pack.chapters[0]!;
    expect(chapter.images).toEqual(['images/map.png', 'images/map copy.png']);
    expect(checked.html.a).toContain('<img src="images/map copy.png">');
  });

  it('without alt text go out without any (not as decoration), with a warning at each', () => {
    expect(checked.html.a).toContain('<figure class="figure"><img src="images/map.png"></figure>');
    expect(checked.messages.filter((m) => m.includes('no alt text'))).toEqual([
      'articles/a.md:11:1 warning image ../images/map.png has no alt text (markdown/image)',
      'articles/a.md:13:1 warning image ../images/map%20copy.png?v=2#x has no alt text (markdown/image)',
    ]);
  });

  it('that are remote, missing or name no file are errors at their place', async () => {
    const text = [
      '![remote](https://example.com/a.png) ![protocol-relative](//example.com/b.png)', // 5
      '',
      '<img src="../images/missing.png" alt="gone">', // 7
      '',
      '<img alt="no source">', // 9
      '',
      '<img src="?only-a-query" alt="q">', // 11
    ].join('\n');
    const dir = writePack({ 'pack.yaml': MINIMAL_MANIFEST, 'articles/one.md': `---\ntitle: One\n---\n\n${text}\n` });
    const error = await check({ packDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailure);
    const messages = (error as BuildFailure).diagnostics.map((d) => `${d.position?.line}:${d.position?.column} ${d.severity} ${d.message}`);
    expect(messages).toEqual([
      '5:1 error remote image https://example.com/a.png is not allowed',
      '5:38 error remote image //example.com/b.png is not allowed',
      '7:1 error image ../images/missing.png not found',
      '9:1 error an image with no file',
      '11:1 error an image with no file',
    ]);
  });
});

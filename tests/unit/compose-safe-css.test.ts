/**
 * src/compose/safe-css.ts read as CSS's tokenizer reads it: escapes (hex, with the white space
 * that ends them, out of range), strings and their line continuations, unquoted URLs, the
 * functions that load something, and where each removal is reported. safe-template.test.ts has
 * the ordinary sheets.
 */
import { describe, expect, it } from 'vitest';
import { safeCss } from '../../src/compose/safe-css.js';
import { Diagnostics } from '../../src/diagnostics.js';

function css(text: string, start?: { line: number; column: number }): { out: string; warnings: string[] } {
  const diagnostics = new Diagnostics();
  const out = safeCss(text, { file: 'x.css', start, diagnostics, rule: 'template/unsafe' });
  return { out, warnings: diagnostics.list.map((d) => `${d.file}:${d.position?.line}:${d.position?.column} ${d.severity} ${d.rule} ${d.message}`) };
}
const removedUrl = (url: string) => `removed url(${JSON.stringify(url)}) from the template's style sheet: only data: URLs are allowed`;
const removedImport = (url?: string) => `removed @import${url === undefined ? '' : ` of ${JSON.stringify(url)}`} from the template's style sheet: a template's CSS may not load other files`;
const messages = (text: string) => css(text).warnings.map((w) => w.replace(/^x\.css:\d+:\d+ warning template\/unsafe /, ''));

describe('escapes', () => {
  it('spell url( and @import as well as the letters do', () => {
    expect(css('a{b:u\\72l(https://x.example/a)}').out).toBe('a{b:none}');
    expect(css('a{b:\\75 rl(https://x.example/a)}').out).toBe('a{b:none}');
    expect(css('a{b:\\000075rl(https://x.example/a)}').out).toBe('a{b:none}');
    expect(css('a{b:U\\RL(https://x.example/a)}').out).toBe('a{b:none}');
    expect(css('@\\69mport "https://x.example/i.css";a{}').out).toBe('a{}');
    expect(css('@IMPORT "https://x.example/i.css";a{}').out).toBe('a{}');
  });

  it('end at the white space after their hex digits, one character of it, a CR LF counting as one', () => {
    for (const space of [' ', '\t', '\n', '\r', '\f', '\r\n']) {
      expect(css(`a{b:u\\72${space}l(https://x.example/a)}`).out, JSON.stringify(space)).toBe('a{b:none}');
    }
    // A second space is no longer part of the escape: "ur l(" is no url(.
    expect(css('a{b:u\\72  l(https://x.example/a)}').out).toBe('a{b:u\\72  l(https://x.example/a)}');
  });

  it('read six hex digits at most', () => {
    expect(messages('@import "\\0000411";')).toEqual([removedImport('A1')]);
  });

  it('of nothing, a surrogate or beyond Unicode stand for the replacement character', () => {
    expect(messages('@import "a\\0 b";')).toEqual([removedImport('a\uFFFDb')]);
    expect(messages('@import "a\\d800 b";')).toEqual([removedImport('a\uFFFDb')]);
    expect(messages('@import "a\\dfff b";')).toEqual([removedImport('a\uFFFDb')]);
    expect(messages('@import "a\\d7ff b";')).toEqual([removedImport('a\uD7FFb')]);
    expect(messages('@import "a\\e000 b";')).toEqual([removedImport('a\uE000b')]);
    expect(messages('@import "a\\110000 b";')).toEqual([removedImport('a\uFFFDb')]);
    expect(messages('@import "a\\10FFFF b";')).toEqual([removedImport('a\u{10FFFF}b')]);
  });

  it('of a backslash before a line break are no escapes in a name', () => {
    // "u\" then a line break: the name ends at "u", so what follows is no url(.
    expect(css('a{b:u\\\nrl(https://x.example/a)}').out).toBe('a{b:u\\\nrl(https://x.example/a)}');
    // A backslash at the very end of the sheet is no escape either.
    expect(css('a{b:u\\').out).toBe('a{b:u\\');
  });
});

describe('strings', () => {
  it('go on past a backslash and a line break, which are not part of them', () => {
    expect(messages('@import "https://x.exa\\\nmple/i.css";')).toEqual([removedImport('https://x.example/i.css')]);
  });

  it('end at the quote they began with, not at the other one', () => {
    expect(messages(`@import "it's.css";`)).toEqual([removedImport("it's.css")]);
    expect(messages(`@import 'say "x".css';`)).toEqual([removedImport('say "x".css')]);
  });

  it('end at a line break when unclosed', () => {
    expect(css('@import "https://x.example/i.css\na{}').warnings).toEqual([`x.css:1:1 warning template/unsafe ${removedImport('https://x.example/i.css')}`]);
  });

  it('hide what looks like a URL or an import', () => {
    const sheet = 'a::before{content:"url(https://x.example/) @import"}b::after{content:\'u\\72l(x)\'}';
    expect(css(sheet)).toEqual({ out: sheet, warnings: [] });
  });
});

describe('unquoted URLs', () => {
  it('run to the closing parenthesis, escapes read, blanks around them trimmed', () => {
    expect(messages('a{b:url(  https\\3a //x.example/a  )}')).toEqual([removedUrl('https://x.example/a')]);
    expect(messages('a{b:url(https://x.example/\\)x)}')).toEqual([removedUrl('https://x.example/)x')]);
  });

  it('that are data: URLs (any case, blanks around) or places in the document stay', () => {
    const sheet = 'a{b:url( DATA:image/png;base64,AA );c:url(#f);d:url(  #g  );e:url(data:x)}';
    expect(css(sheet)).toEqual({ out: sheet, warnings: [] });
  });

  it('unclosed at the end of the sheet are removed to its end', () => {
    expect(css('a{b:url(https://x.example/a').out).toBe('a{b:none');
  });

  it('are shown to 80 characters in the warning', () => {
    const eighty = `https://x.example/${'p'.repeat(62)}`;
    expect(eighty).toHaveLength(80);
    expect(messages(`a{b:url(${eighty})}`)).toEqual([removedUrl(eighty)]);
    expect(messages(`a{b:url(${eighty}q)}`)).toEqual([`removed url(${JSON.stringify(`${eighty}…`)}) from the template's style sheet: only data: URLs are allowed`]);
  });
});

describe('@import', () => {
  it('goes to its semicolon, or to the end of the block it is in, or of the sheet', () => {
    expect(css('@import url("https://x.example/a.css") screen;a{}').out).toBe('a{}');
    expect(css('@media print{@import "https://x.example/a.css"}a{}').out).toBe('@media print{}a{}');
    expect(css('a{}@import "https://x.example/a.css"').out).toBe('a{}');
  });

  it('without anything to import is removed and said so', () => {
    expect(css('@import;a{}')).toEqual({ out: 'a{}', warnings: [`x.css:1:1 warning template/unsafe ${removedImport()}`] });
  });

  it('is not an @ followed by something other than a name', () => {
    const sheet = 'a{b:"@";}@ import;@1x{}';
    expect(css(sheet)).toEqual({ out: sheet, warnings: [] });
  });
});

describe('functions that load', () => {
  it('src() and url() with a string: the first argument', () => {
    expect(css('@font-face{src:src("https://x.example/f.woff2")}').out).toBe('@font-face{src:none}');
    expect(css('@font-face{src:src("data:font/woff2;base64,AA")}').out).toBe('@font-face{src:src("data:font/woff2;base64,AA")}');
    expect(css('a{b:url("data:x" "https://x.example/modifier")}').out).toBe('a{b:url("data:x" "https://x.example/modifier")}');
  });

  it('src() and url() without a string are removed: a variable or anything else may stand for a URL', () => {
    expect(css('a{b:src(var(--u))}')).toEqual({ out: 'a{b:none}', warnings: ["x.css:1:5 warning template/unsafe removed src(…) from the template's style sheet: only data: URLs are allowed"] });
    // Unquoted, it is a URL to its first closing parenthesis, and goes as one.
    expect(css('a{b:url( var(--u))}')).toEqual({ out: 'a{b:none)}', warnings: [`x.css:1:5 warning template/unsafe ${removedUrl('var(--u')}`] });
  });

  it('the image functions: any string, and any variable', () => {
    for (const fn of ['image-set', '-webkit-image-set', 'image', 'cross-fade', '-webkit-cross-fade']) {
      expect(css(`a{b:${fn}("data:x" 1x, "https://x.example/b.png" 2x)}`).warnings, fn).toEqual([
        `x.css:1:5 warning template/unsafe removed ${fn}("https://x.example/b.png") from the template's style sheet: only data: URLs are allowed`,
      ]);
      expect(css(`a{b:${fn}(var(--img) 1x)}`).out, fn).toBe('a{b:none}');
      expect(css(`a{b:${fn}("data:x" 1x)}`).out, fn).toBe(`a{b:${fn}("data:x" 1x)}`);
    }
  });

  it('are removed with everything inside them, nested parentheses too, and not beyond', () => {
    expect(css('a{b:image-set(calc((1)) "https://x.example/b.png" 1x) red}').out).toBe('a{b:none red}');
    expect(css('a{b:image-set("https://x.example/b.png" 1x').out).toBe('a{b:none');
  });

  it('are other functions only by their whole name', () => {
    const sheet = 'a{b:urls("https://x.example/") sources("https://x.example/") images("https://x.example/") color-mix(in srgb, red, blue)}';
    expect(css(sheet)).toEqual({ out: sheet, warnings: [] });
  });
});

describe('names', () => {
  it('may start with a hyphen before a letter, another hyphen or an escape, or with a character beyond ASCII', () => {
    // Each of these is a function name other than url: nothing is removed.
    const sheet = 'a{b:-u\\72l(https://x.example/);c:--url(https://x.example/);d:éurl(https://x.example/);e:_url(https://x.example/)}';
    expect(css(sheet)).toEqual({ out: sheet, warnings: [] });
  });

  it('are not a hyphen before a digit or a blank, after which url( is itself', () => {
    expect(css('a{b:-1url(https://x.example/)}').out).toBe('a{b:-1none}');
    expect(css('a{b:- url(https://x.example/)}').out).toBe('a{b:- none}');
  });
});

describe('comments', () => {
  it('hide what is in them, to their end or the end of the sheet', () => {
    const sheet = 'a{}/* @import "x.css"; url(https://x.example/) */b{}/* url(https://x.example/)';
    expect(css(sheet)).toEqual({ out: sheet, warnings: [] });
    expect(css('/**/a{b:url(https://x.example/)}').out).toBe('/**/a{b:none}');
  });
});

describe('places', () => {
  it('are lines and columns in the sheet, or in the file the sheet starts in', () => {
    const sheet = 'a{}\n  b{c:url(https://x.example/)}';
    expect(css(sheet).warnings).toEqual([`x.css:2:7 warning template/unsafe ${removedUrl('https://x.example/')}`]);
    expect(css(sheet, { line: 10, column: 8 }).warnings).toEqual([`x.css:11:7 warning template/unsafe ${removedUrl('https://x.example/')}`]);
    expect(css('b{c:url(https://x.example/)}', { line: 10, column: 8 }).warnings).toEqual([`x.css:10:12 warning template/unsafe ${removedUrl('https://x.example/')}`]);
  });

  it('are each removal’s own, everything between kept byte for byte', () => {
    expect(css('a{b:url(https://x.example/1)} /* keep */ c{d:url(https://x.example/2) !important}').out).toBe('a{b:none} /* keep */ c{d:none !important}');
  });
});

/**
 * A pack template's web shell and style sheets lose whatever would load something, run script or
 * leave the page, with a warning at each place; everything else stays byte for byte.
 */
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { safeCss } from '../../src/compose/safe-css.js';
import { safeShell } from '../../src/compose/safe-shell.js';
import { loadTemplate } from '../../src/compose/template.js';
import { BuildFailure, Diagnostics } from '../../src/diagnostics.js';
import { writePack } from '../helpers/pack.js';

function css(text: string): { out: string; warnings: string[] } {
  const diagnostics = new Diagnostics();
  const out = safeCss(text, { file: 'x.css', diagnostics, rule: 'template/unsafe' });
  return { out, warnings: diagnostics.list.map((d) => `${d.position?.line}:${d.position?.column} ${d.message}`) };
}

describe('safeCss', () => {
  it('leaves a style sheet that loads nothing exactly as it is', () => {
    const sheet = 'body { color: #222; }\n/* url(https://x.example/) in a comment */\n.a::before { content: "url(https://x.example/)"; }\n.b { background: url(data:image/png;base64,AAAA) no-repeat; filter: url(#f); }\n@media print { .c { display: none } }\n';
    expect(css(sheet)).toEqual({ out: sheet, warnings: [] });
  });

  it('removes @import in every spelling, and every URL that is not data:, at its place', () => {
    const { out, warnings } = css(
      [
        '@import url(https://x.example/a.css);',
        '@IMPORT "https://x.example/b.css" screen;',
        '@\\69mport "c.css";',
        'body { background: url( "https://x.example/bg.png" ) }',
        '.a { background-image: u\\72l(//x.example/p.png) }',
        '.b { background: URL(relative.png) }',
        '.c { background: image-set("https://x.example/2x.png" 2x, "data:image/png;base64,AA" 1x) }',
        '.d { --u: url(https://x.example/var.png); background: var(--u) }',
        '@font-face { font-family: X; src: local(X), url(https://x.example/f.woff2) format("woff2"); }',
        '.e { background: -webkit-image-set(var(--v) 1x) }',
      ].join('\n'),
    );
    expect(out).not.toMatch(/x\.example|relative\.png|c\.css|var\(--v\)/);
    expect(out).toContain('src: local(X), none format("woff2")');
    expect(out).toContain('.e { background: none }');
    expect(warnings).toEqual([
      `1:1 removed @import of "https://x.example/a.css" from the template's style sheet: a template's CSS may not load other files`,
      `2:1 removed @import of "https://x.example/b.css" from the template's style sheet: a template's CSS may not load other files`,
      `3:1 removed @import of "c.css" from the template's style sheet: a template's CSS may not load other files`,
      `4:20 removed url("https://x.example/bg.png") from the template's style sheet: only data: URLs are allowed`,
      `5:24 removed url("//x.example/p.png") from the template's style sheet: only data: URLs are allowed`,
      `6:18 removed url("relative.png") from the template's style sheet: only data: URLs are allowed`,
      `7:18 removed image-set("https://x.example/2x.png") from the template's style sheet: only data: URLs are allowed`,
      `8:11 removed url("https://x.example/var.png") from the template's style sheet: only data: URLs are allowed`,
      `9:45 removed url("https://x.example/f.woff2") from the template's style sheet: only data: URLs are allowed`,
      `10:18 removed -webkit-image-set(…) from the template's style sheet: only data: URLs are allowed`,
    ]);
  });
});

describe('safeShell', () => {
  it('keeps the document and its slots, and removes scripts, handlers, refreshes, links out and loads', () => {
    const html = [
      '<!doctype html>',
      '<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=https://x.example/">',
      '<title data-slot="title"></title><style data-slot="styles"></style>',
      '<style>@import "https://x.example/i.css"; body { margin: 0 }</style>',
      '<script>fetch("https://x.example/s")</script><link rel="stylesheet" href="https://x.example/l.css"><base href="https://x.example/">',
      '</head><body class="web" onload="alert(1)">',
      '<img src="https://x.example/pixel.png" alt=""><img src="data:image/png;base64,AAAA" alt="dot">',
      '<a href="javascript:alert(1)">j</a><a href="//x.example/p">p</a><a href="https://example.org/">ok</a><a href="#top">top</a>',
      '<iframe src="https://x.example/f"></iframe><form action="https://x.example/post"><input name="q"></form>',
      '<main class="chapters" data-slot="chapters" style="color: red"></main></body></html>',
    ].join('\n');
    const diagnostics = new Diagnostics();
    const out = toHtml(safeShell(fromHtml(html), 'web.html', diagnostics, 'template/unsafe'));
    expect(out).not.toMatch(/x\.example|<script|<iframe|<form|<input|<link|<base|http-equiv|onload|javascript:|style="/);
    expect(out).toMatch(/^<!doctype html><html><head><meta charset="utf-8">\n<title/);
    for (const kept of ['<title data-slot="title"></title>', '<style data-slot="styles"></style>', 'body { margin: 0 }', '<img src="data:image/png;base64,AAAA" alt="dot">', '<a href="https://example.org/">ok</a>', '<a href="#top">top</a>', '<main class="chapters" data-slot="chapters"></main>']) {
      expect(out).toContain(kept);
    }
    expect(diagnostics.list.map((d) => `${d.position?.line}:${d.position?.column} ${d.message}`)).toEqual([
      '2:35 removed <meta http-equiv> from the template: a shell may not refresh, redirect or set policies',
      `4:8 removed @import of "https://x.example/i.css" from the template's style sheet: a template's CSS may not load other files`,
      '7:1 removed the src attribute of <img> from the template: only data: URLs may be loaded',
      '8:36 removed the href attribute of <a> from the template: write the scheme (https:)',
      '5:1 removed <script> from the template',
      '5:46 removed <link> from the template',
      '5:100 removed <base> from the template',
      '6:8 removed the onload attribute of <body> from the template',
      '8:1 removed a javascript: URL in <a> from the template',
      '9:1 removed <iframe> from the template',
      '9:44 removed <form> from the template',
      '10:1 removed the style attribute of <main> from the template',
    ]);
  });
});

describe('loadTemplate', () => {
  it('holds a pack template to the rules, and uses its files as read when it loaded', () => {
    const dir = writePack({
      'templates/t/print.html': '<!doctype html><html><head><style data-slot="styles"></style></head><body><main data-slot="chapters"></main></body></html>',
      'templates/t/web.html': '<!doctype html><html><head><style data-slot="styles"></style></head><body><script>x()</script><main data-slot="chapters"></main></body></html>',
      'templates/t/epub.css': '@import "https://x.example/e.css";\nbody { margin: 0 }\n',
      'templates/t/template.json': '{"description": "T", "articlesStartOnNewPage": false}',
    });
    const diagnostics = new Diagnostics();
    const template = loadTemplate('t', dir, undefined, diagnostics);
    expect(template.settings).toEqual({ description: 'T', articlesStartOnNewPage: false });
    expect(toHtml(template.shell('web'))).not.toContain('<script');
    expect(template.css('epub')).toBe('\nbody { margin: 0 }\n');
    // Left out: the built-in default's, as it is.
    expect(template.css('web')).toContain('max-width: 42rem');
    expect(diagnostics.list.map((d) => `${path.basename(d.file ?? '')}:${d.position?.line}:${d.position?.column} ${d.rule}`)).toEqual([
      'web.html:1:75 template/unsafe',
      'epub.css:1:1 template/unsafe',
    ]);
    expect([...template.files.keys()].map((f) => path.basename(f)).sort()).toEqual(['epub.css', 'print.html', 'template.json', 'web.html']);
  });

  it('reports a malformed template.json at the file instead of crashing', () => {
    const dir = writePack({ 'templates/t/print.html': '<html></html>', 'templates/t/template.json': '{"articlesStartOnNewPage": "yes"' });
    let failure: unknown;
    try {
      loadTemplate('t', dir);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(BuildFailure);
    expect((failure as BuildFailure).diagnostics[0]).toMatchObject({ rule: 'template/invalid', message: expect.stringMatching(/^template\.json is not valid JSON/) });
  });

  it('refuses a template name that is a path', () => {
    expect(() => loadTemplate('../../etc', writePack({}))).toThrow(/unknown template "\.\.\/\.\.\/etc"/);
  });
});

/** src/compose/fragment.ts: a custom kind's template, filled with a sidebar's data as a tree. */
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { fillFragment, parseFragment } from '../../src/compose/fragment.js';
import { Diagnostics } from '../../src/diagnostics.js';

function fill(template: string, data: unknown): string {
  const diagnostics = new Diagnostics();
  const fragment = parseFragment(template, 'template.html', diagnostics);
  expect(diagnostics.list).toEqual([]);
  return toHtml({ type: 'root', children: fillFragment(fragment!, data) });
}

describe('a filled template', () => {
  it('puts the value at a path as text, never as markup', () => {
    expect(fill('<p class="risk" data-text="risk.level"></p>', { risk: { level: '<b>high</b> & rising' } })).toBe('<p class="risk">&#x3C;b>high&#x3C;/b> &#x26; rising</p>');
    expect(fill('<p data-text="count"></p><p data-text="flag"></p><p data-text="missing.deeper"></p>', { count: 3, flag: false })).toBe('<p>3</p><p>false</p><p></p>');
    expect(fill('<p data-text="tags"></p><p data-text="object"></p><p data-text="nothing"></p>', { tags: ['a', 'b', ['c', 'd']], object: { x: 1 }, nothing: null })).toBe('<p>a, b, c, d</p><p></p><p></p>');
    expect(fill('<p data-text="."></p>', 'the scope itself')).toBe('<p>the scope itself</p>');
    expect(fill('<p data-text="">old</p>', 'whole')).toBe('<p>whole</p>');
  });

  it('repeats an element for each item of a list, paths inside relative to the item', () => {
    expect(fill('<ul><li data-each="people"><b data-text="name"></b> (<i data-text="role"></i>)</li></ul>', { people: [{ name: 'A', role: 'x' }, { name: 'B', role: 'y' }] })).toBe(
      '<ul><li><b>A</b> (<i>x</i>)</li><li><b>B</b> (<i>y</i>)</li></ul>',
    );
    expect(fill('<ul><li data-each="tags" data-text="."></li></ul>', { tags: ['one', 'two'] })).toBe('<ul><li>one</li><li>two</li></ul>');
    expect(fill('<ul><li data-each="none">x</li><li data-each="text">y</li></ul>', { text: 'not a list' })).toBe('<ul></ul>');
  });

  it('keeps an element only when its value is there and not empty', () => {
    const template = '<p data-if="note">Note: <span data-text="note"></span></p><p>always</p>';
    expect(fill(template, { note: 'kept' })).toBe('<p>Note: <span>kept</span></p><p>always</p>');
    for (const note of [undefined, null, '', []]) expect(fill(template, { note }), JSON.stringify(note)).toBe('<p>always</p>');
    for (const note of [0, false, ['x'], {}]) expect(fill(template, { note }), JSON.stringify(note)).toContain('Note:');
  });

  it('links only to web addresses, made valid', () => {
    const template = '<a data-href="url" data-text="title"></a>';
    expect(fill(template, { url: 'https://example.com/a b', title: 'T' })).toBe('<a href="https://example.com/a%20b">T</a>');
    expect(fill(template, { url: 'HTTP://example.com/', title: 'T' })).toBe('<a href="http://example.com/">T</a>');
    for (const url of ['javascript:alert(1)', 'mailto:x@example.com', 'see https://example.com', '//example.com', 'https://']) expect(fill(template, { url, title: 'T' }), url).toBe('<a>T</a>');
  });

  it('keeps the template\'s own text, comments aside, and copies it for each use', () => {
    const diagnostics = new Diagnostics();
    const fragment = parseFragment('<p>Fixed <em>text</em></p>', 'template.html', diagnostics)!;
    const first = fillFragment(fragment, {});
    const second = fillFragment(fragment, {});
    expect(toHtml({ type: 'root', children: first })).toBe('<p>Fixed <em>text</em></p>');
    expect(first[0]).not.toBe(second[0]);
  });
});

describe('a template', () => {
  it('loses what the sanitizer removes, with a warning at its place', () => {
    const diagnostics = new Diagnostics();
    const fragment = parseFragment('<p class="x" onclick="steal()">a</p>\n<script>steal()</script>', 'kinds/risk/template.html', diagnostics);
    expect(toHtml(fragment!)).not.toMatch(/onclick|script/);
    expect(toHtml(fragment!)).toContain('<p class="x">a</p>');
    expect(diagnostics.list.map((d) => `${d.file}:${d.position?.line} ${d.severity} ${d.rule}`)).toEqual(['kinds/risk/template.html:1 warning template/unsafe', 'kinds/risk/template.html:2 warning template/unsafe']);
  });

  it('nested too deep is refused where it passes the limit', () => {
    const diagnostics = new Diagnostics();
    expect(parseFragment(`<p>x</p>\n${'<div>'.repeat(501)}`, 'template.html', diagnostics)).toBeUndefined();
    expect(diagnostics.list.map((d) => `${d.position?.line}:${d.position?.column} ${d.rule} ${d.message}`)).toEqual(['2:2501 template/invalid HTML elements nested more than 500 levels deep']);
  });
});

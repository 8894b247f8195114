/**
 * src/load/nesting.ts: how deep a text nests, measured before any parser reads it, and where it
 * first passes the limit (small limits here; the build's is MAX_DEPTH).
 */
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { deepLinePrefix, deepMarkdownNode, HtmlNesting, MAX_DATA_DEPTH, MAX_DEPTH, positionIn } from '../../src/load/nesting.js';

describe('the limits', () => {
  it('are 500 levels in an article and 100 in data', () => {
    expect(MAX_DEPTH).toBe(500);
    expect(MAX_DATA_DEPTH).toBe(100);
    expect(deepLinePrefix('> '.repeat(500))).toBeUndefined();
    expect(deepLinePrefix('> '.repeat(501))).toEqual({ offset: 1000, depth: 501 });
  });
});

describe('containers at the start of a line', () => {
  it('count quotes and every kind of list marker, up to the limit', () => {
    expect(deepLinePrefix('> - * + 1. 2) text', 6)).toBeUndefined();
    expect(deepLinePrefix('> - * + 1. 2) text', 5)).toEqual({ offset: 11, depth: 6 });
    expect(deepLinePrefix('>>>', 2)).toEqual({ offset: 2, depth: 3 });
    expect(deepLinePrefix('>\t-\ttext', 1)).toEqual({ offset: 2, depth: 2 });
  });

  it('are found on any line, the offset counted from the start of the text', () => {
    expect(deepLinePrefix('plain\n> > > deep\n> ok', 2)).toEqual({ offset: 10, depth: 3 });
    expect(deepLinePrefix('plain\r\n> > x\n', 1)).toEqual({ offset: 9, depth: 2 });
  });

  it('may stand after up to four blanks (the one after a marker and three of indent), not five', () => {
    expect(deepLinePrefix('   >   >', 1)).toEqual({ offset: 7, depth: 2 });
    expect(deepLinePrefix('>    > x', 1)).toEqual({ offset: 5, depth: 2 });
    expect(deepLinePrefix('>\t\t\t\t> x', 1)).toEqual({ offset: 5, depth: 2 });
    expect(deepLinePrefix('>     > x', 1)).toBeUndefined();
    expect(deepLinePrefix('>\t\t\t\t\t> x', 1)).toBeUndefined();
  });

  it('are not text that merely starts like them', () => {
    expect(deepLinePrefix('> -text', 1)).toBeUndefined(); // no blank after the dash
    expect(deepLinePrefix('> 1.5 million', 1)).toBeUndefined();
    expect(deepLinePrefix('> 2026 was', 1)).toBeUndefined();
    expect(deepLinePrefix('> 1234567890. ten digits', 1)).toBeUndefined();
    expect(deepLinePrefix('> 123456789. nine digits', 1)).toEqual({ offset: 2, depth: 2 });
    expect(deepLinePrefix('> 1.', 1)).toBeUndefined();
    expect(deepLinePrefix('> -', 1)).toBeUndefined();
    expect(deepLinePrefix('> a. b', 1)).toBeUndefined();
    expect(deepLinePrefix('> /. b', 1)).toBeUndefined();
    expect(deepLinePrefix('> :. b', 1)).toBeUndefined();
    expect(deepLinePrefix('', 0)).toBeUndefined();
  });
});

describe('a Markdown tree', () => {
  const nested = (depth: number): Root => {
    let node: any = { type: 'text', value: 'x' };
    for (let i = 0; i < depth; i++) node = { type: 'blockquote', children: [node] };
    return { type: 'root', children: [{ type: 'paragraph', children: [] }, node] };
  };

  it('is too deep at its first node past the limit', () => {
    expect(deepMarkdownNode(nested(3), 4)).toBeUndefined();
    const found = deepMarkdownNode(nested(4), 4);
    expect(found?.depth).toBe(5);
    expect(found?.node).toEqual({ type: 'text', value: 'x' });
    expect(deepMarkdownNode(nested(6), 4)?.node.type).toBe('blockquote');
  });
});

describe('raw HTML', () => {
  const at = (html: string, limit: number, base = 0) => new HtmlNesting(limit).read(html, base);

  it('nests its elements, and is too deep where one opens past the limit', () => {
    expect(at('<div><div><div>x</div></div></div>', 3)).toBeUndefined();
    expect(at('<div><section><DIV>x', 2)).toEqual({ offset: 14, depth: 3 });
    expect(at('<div><div>', 1, 1)).toEqual({ offset: 0, depth: 2 });
    expect(at('<div></div><div></div><div></div>', 1)).toBeUndefined();
  });

  it('follows elements across the pieces of one document', () => {
    const nesting = new HtmlNesting(2);
    expect(nesting.read('<div>')).toBeUndefined();
    expect(nesting.read('<div>')).toBeUndefined();
    expect(nesting.read('<div>')).toEqual({ offset: 0, depth: 3 });
    const closed = new HtmlNesting(2);
    closed.read('<div><div>');
    closed.read('</div>');
    expect(closed.read('<div>')).toBeUndefined();
    // A closing tag closes the element it names and those left open inside it.
    const inner = new HtmlNesting(2);
    inner.read('<div><span><b>');
    inner.read('</span>');
    expect(inner.read('<i>')).toBeUndefined();
    expect(inner.read('<i>')).toEqual({ offset: 0, depth: 3 });
    // A closing tag of nothing open closes nothing.
    const stray = new HtmlNesting(1);
    stray.read('<div>');
    stray.read('</p>');
    expect(stray.read('<p>')).toEqual({ offset: 0, depth: 2 });
  });

  it('does not nest empty elements, self-closed ones, comments, or what is not a tag', () => {
    expect(at('<div><br><img src=x><hr/><input><wbr><svg/><x-y/>', 1)).toBeUndefined();
    expect(at('<div><!-- <div><div> --></div>', 1)).toBeUndefined();
    expect(at('<div>a < b, 3<4, <1, <-, <>', 1)).toBeUndefined();
    expect(at('<div><!-- never closed <div><div>', 1)).toBeUndefined();
    expect(at('<div><span never closed', 1)).toBeUndefined();
  });

  it('reads a tag to its end, past > inside quoted attribute values', () => {
    expect(at('<div title="a > b"><div title=\'>\'><div>', 2)).toEqual({ offset: 34, depth: 3 });
  });

  it('skips the text of script, style and the like', () => {
    expect(at('<div><script>"<div><div>"</script><style><div></STYLE><textarea><div><div>', 1)).toBeUndefined();
    expect(at('<div><script></script><div>', 1)).toEqual({ offset: 22, depth: 2 });
  });

  it('closes a paragraph, item, cell or row when the next of its kind opens, as HTML does', () => {
    expect(at('<p>a<p>b<p>c', 1)).toBeUndefined();
    expect(at('<ul><li>a<li>b<li>c', 2)).toBeUndefined();
    expect(at('<dl><dt>a<dd>b<dt>c<dd>d', 2)).toBeUndefined();
    expect(at('<table><tbody><tr><td>a<td>b<th>c<tr><td>d', 4)).toBeUndefined();
    expect(at('<table><thead><tr><th>a<tbody><tr><td>b<tfoot><tr><td>c', 4)).toBeUndefined();
    expect(at('<select><optgroup><option>a<option>b<optgroup><option>c', 3)).toBeUndefined();
    // But not other elements: a div in a div nests.
    expect(at('<p>a<div>b', 1)).toEqual({ offset: 4, depth: 2 });
    expect(at('<li>a<p>b', 1)).toEqual({ offset: 5, depth: 2 });
  });
});

describe('a position in a text', () => {
  it('is the line and column of an offset, from a given start', () => {
    expect(positionIn('abc', 0)).toEqual({ line: 1, column: 1 });
    expect(positionIn('abc', 2)).toEqual({ line: 1, column: 3 });
    expect(positionIn('ab\ncd\nef', 3)).toEqual({ line: 2, column: 1 });
    expect(positionIn('ab\ncd\nef', 7)).toEqual({ line: 3, column: 2 });
    expect(positionIn('ab\ncd', 2)).toEqual({ line: 1, column: 3 });
    expect(positionIn('ab\ncd', 4, { line: 10, column: 5 })).toEqual({ line: 11, column: 2 });
    expect(positionIn('ab\ncd', 1, { line: 10, column: 5 })).toEqual({ line: 10, column: 6 });
  });
});

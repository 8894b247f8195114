/** src/compose/template.ts: which template a pack gets, what a pack template may override, and its slots. */
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { fromHtml } from 'hast-util-from-html';
import { describe, expect, it } from 'vitest';
import { builtinTemplateNames, fillSlots, hasAnySlot, loadTemplate, withoutSlots } from '../../src/compose/template.js';
import { BuildFailure, Diagnostics } from '../../src/diagnostics.js';
import { tempDir } from '../helpers/cli.js';
import { writePack } from '../helpers/pack.js';

function failure(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof BuildFailure) return error.diagnostics.map((d) => `${d.file ? path.basename(d.file) : '-'}:${d.position?.line}:${d.position?.column} ${d.rule} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`);
    throw error;
  }
  throw new Error('did not fail');
}

const SHELL = '<!doctype html><html><head><style data-slot="styles"></style></head><body><main data-slot="chapters"></main></body></html>';

describe('the built-in templates', () => {
  it('are the folders with a print.html, in name order', () => {
    expect(builtinTemplateNames()).toEqual(['default', 'memo']);
  });

  it('are used as they are, with their settings', () => {
    const memo = loadTemplate('memo', writePack({}));
    expect(memo.settings).toEqual({ description: 'Compact internal note: one column, no cover, articles run on without page breaks.', articlesStartOnNewPage: false });
    expect(memo.files.size).toBe(0);
    expect(memo.dir).toMatch(/templates\/memo$/);
    const standard = loadTemplate('default', writePack({}));
    expect(standard.settings.articlesStartOnNewPage).toBe(true);
    expect(standard.css('print')).toContain('@page');
  });
});

describe('a pack template', () => {
  it('of its own name needs a print.html; an unknown name lists the built-in ones, at the place that named it', () => {
    const where = { file: 'pack.yaml', position: { line: 7, column: 11 } };
    expect(failure(() => loadTemplate('mine', writePack({ 'templates/mine/web.css': 'a {}' }), where))).toEqual([
      'pack.yaml:7:11 template/unknown unknown template "mine" | Built-in templates: default, memo; or create templates/mine/print.html in the pack.',
    ]);
    expect(failure(() => loadTemplate('-x', writePack({})))).toEqual([expect.stringContaining('unknown template "-x"')]);
    expect(failure(() => loadTemplate('a b', writePack({})))).toEqual([expect.stringContaining('unknown template "a b"')]);
  });

  it('with a built-in name changes only the files it has, the rest being the built-in one\'s', () => {
    const dir = writePack({ 'templates/memo/web.css': 'body { color: black }\n' });
    const template = loadTemplate('memo', dir);
    expect(template.css('web')).toBe('body { color: black }\n');
    expect(template.settings.articlesStartOnNewPage).toBe(false);
    expect(template.dir).toBe(path.join(dir, 'templates', 'memo'));
    expect([...template.files.keys()]).toEqual([path.join(dir, 'templates', 'memo', 'web.css')]);
    expect(toHtml(template.shell('print'))).toBe(toHtml(loadTemplate('memo', writePack({})).shell('print')));
  });

  it('of its own takes what it leaves out from the default, and gives a fresh shell each time', () => {
    const dir = writePack({ 'templates/t/print.html': SHELL });
    const template = loadTemplate('t', dir);
    expect(template.settings).toEqual(loadTemplate('default', writePack({})).settings);
    expect(template.css('epub')).toBe(loadTemplate('default', writePack({})).css('epub'));
    expect(template.shell('print')).not.toBe(template.shell('print'));
    expect(toHtml(template.shell('print'))).toBe(SHELL);
  });

  it('settings must be an object of the two known settings', () => {
    for (const json of ['[]', 'null', '"text"', '{"description": 3}', '{"articlesStartOnNewPage": "no"}']) {
      expect(failure(() => loadTemplate('t', writePack({ 'templates/t/print.html': SHELL, 'templates/t/template.json': json }))), json).toEqual([
        'template.json:1:1 template/invalid template.json must be an object with an optional "description" (text) and "articlesStartOnNewPage" (true or false)',
      ]);
    }
    expect(loadTemplate('t', writePack({ 'templates/t/print.html': SHELL, 'templates/t/template.json': '{}' })).settings).toEqual({ description: '', articlesStartOnNewPage: true });
  });

  it('that nests too deep, is not UTF-8, or leads out of the pack is refused at the file', () => {
    expect(failure(() => loadTemplate('t', writePack({ 'templates/t/print.html': `<html><body>\n${'<div>'.repeat(501)}` })))).toEqual([
      // html and body are two of the 500 levels.
      'print.html:2:2491 template/invalid HTML elements nested more than 500 levels deep',
    ]);
    expect(failure(() => loadTemplate('t', writePack({ 'templates/t/print.html': Buffer.from([0x3c, 0xff]) as unknown as string })))).toEqual([
      'print.html:1:2 file/encoding not valid UTF-8 (byte 0xff)',
    ]);
    const outside = tempDir();
    mkdirSync(path.join(outside, 't'));
    const dir = writePack({ 'templates/.keep': '' });
    symlinkSync(path.join(outside, 't'), path.join(dir, 'templates', 't'));
    expect(failure(() => loadTemplate('t', dir))).toEqual(['t:undefined:undefined file/outside-pack templates/t is a link to a folder outside the pack folder']);
  });

  it('warns, and keeps the rest, about characters its files should not hold', () => {
    const diagnostics = new Diagnostics();
    loadTemplate('t', writePack({ 'templates/t/print.html': SHELL, 'templates/t/base.css': 'a { color: red }\u0007\n' }), undefined, diagnostics);
    expect(diagnostics.list.map((d) => `${path.basename(d.file!)} ${d.severity} ${d.rule}`)).toEqual(['base.css warning file/encoding']);
  });
});

describe('slots', () => {
  const shell = () => fromHtml('<html><body><header data-slot="cover"><p>old</p></header><nav data-slot="contents"></nav><main data-slot="chapters"></main></body></html>');

  it('are filled with trees or text; every slot loses its attribute, an unfilled one keeps what it holds', () => {
    const filled = fillSlots(shell(), { chapters: [{ type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: 'Text' }] }], contents: '<b>not markup</b>' });
    expect(toHtml(filled)).toBe('<html><head></head><body><header><p>old</p></header><nav>&#x3C;b>not markup&#x3C;/b></nav><main><p>Text</p></main></body></html>');
  });

  it('are found by name, and may be left out with the elements that hold them', () => {
    expect(hasAnySlot(shell(), ['cover', 'nothing'])).toBe(true);
    expect(hasAnySlot(shell(), ['nothing'])).toBe(false);
    const original = shell();
    expect(toHtml(withoutSlots(original, ['cover', 'contents']))).toBe('<html><head></head><body><main data-slot="chapters"></main></body></html>');
    expect(toHtml(original)).toContain('data-slot="cover"');
  });
});

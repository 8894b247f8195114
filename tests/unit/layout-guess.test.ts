/** src/print/layout-settling.ts: the layout known before any print, for a pack whose contents list one entry. */
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../src/compose/template.js';
import { onlyEntryLayout } from '../../src/print/layout-settling.js';
import type { Pack } from '../../src/model.js';
import { writePack } from '../helpers/pack.js';

const entry = (id: string, children: Array<{ id: string }> = []) => ({ id, title: id, level: 1, children });
const packOf = (toc: ReturnType<typeof entry>[]) => ({ toc }) as unknown as Pack;

describe('the layout of a pack whose contents list one entry', () => {
  const root = writePack({});
  const standard = loadTemplate('default', root);

  it('puts the article on the page after the cover and the contents', () => {
    expect(onlyEntryLayout(packOf([entry('only-article')]), standard, false)).toEqual({ pages: { 'only-article': 3 }, blankBefore: [] });
  });

  it('counts only the front pages the template has', () => {
    const dir = writePack({
      'templates/no-cover/print.html':
        '<!doctype html><html><head><title data-slot="title"></title><style data-slot="styles"></style></head><body><nav data-slot="contents"></nav><main data-slot="chapters"></main></body></html>',
    });
    expect(onlyEntryLayout(packOf([entry('a')]), loadTemplate('no-cover', dir), false)).toEqual({ pages: { a: 2 }, blankBefore: [] });
  });

  it('is not guessed where it could be wrong: sections, more articles, double-sided, or articles that run on', () => {
    expect(onlyEntryLayout(packOf([entry('a', [{ id: 'a-section' }])]), standard, false)).toBeUndefined();
    expect(onlyEntryLayout(packOf([entry('a'), entry('b')]), standard, false)).toBeUndefined();
    expect(onlyEntryLayout(packOf([]), standard, false)).toBeUndefined();
    expect(onlyEntryLayout(packOf([entry('a')]), standard, true)).toBeUndefined();
    expect(onlyEntryLayout(packOf([entry('a')]), loadTemplate('memo', root), false)).toBeUndefined();
  });
});

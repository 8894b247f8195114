/**
 * src/compose/template.ts: a template's name is one folder name, checked as a whole. A name that
 * starts like a good one and goes on with a path would otherwise reach a folder outside
 * templates/ (or a built-in template's folder by a way round).
 */
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../src/compose/template.js';
import { BuildFailure } from '../../src/diagnostics.js';
import { writePack } from '../helpers/pack.js';

const SHELL = '<!doctype html><html><head></head><body><main data-slot="chapters"></main></body></html>';

function refusal(name: string, dir: string): string | undefined {
  try {
    loadTemplate(name, dir);
  } catch (error) {
    if (error instanceof BuildFailure) return `${error.diagnostics[0]!.rule} ${error.diagnostics[0]!.message}`;
    throw error;
  }
  return undefined;
}

describe('a template name', () => {
  it('that goes on past a folder name is unknown, even where that path holds a template', () => {
    const dir = writePack({ 'templates/t/print.html': SHELL, 'elsewhere/print.html': SHELL });
    for (const name of ['t/../../elsewhere', 't/', 'default/../memo', 't\n', 't.html']) {
      expect(refusal(name, dir), JSON.stringify(name)).toBe(`template/unknown unknown template "${name}"`);
    }
    expect(refusal('t', dir)).toBeUndefined();
    expect(refusal('T_2-b', writePack({ 'templates/T_2-b/print.html': SHELL }))).toBeUndefined();
  });
});

/** The PDF object reader and writer the PDF toolkit is built on. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PdfName, PdfReader, PdfRef, PdfString, PdfSyntaxError, writeValue, type PdfValue } from '../../../src/pdf/syntax.js';
import { anyValue } from '../../helpers/pdf-values.js';

const read = (source: string): PdfValue => new PdfReader(Buffer.from(source, 'latin1')).value();

describe('PDF object syntax', () => {
  it('reads what Chromium writes: dictionaries, references, names, numbers, strings', () => {
    const value = read('<</Type /Catalog\n/Pages 26 0 R\n/Kids [1 0 R 2 0 R]\n/Box [0 0 594.96 841.92]\n/Lang (en-GB)\n/Marked true>>');
    expect(value).toBeInstanceOf(Map);
    const dict = value as Map<string, PdfValue>;
    expect((dict.get('Type') as PdfName).value).toBe('Catalog');
    expect(dict.get('Pages')).toEqual(new PdfRef(26, 0));
    expect(dict.get('Kids')).toEqual([new PdfRef(1, 0), new PdfRef(2, 0)]);
    expect(dict.get('Box')).toEqual([0, 0, 594.96, 841.92]);
    expect((dict.get('Lang') as PdfString).bytes).toBe('en-GB');
    expect(dict.get('Marked')).toBe(true);
  });

  it('tells a reference from two numbers in an array', () => {
    expect(read('[1 0 R 1 0 /XYZ 12 0 R]')).toEqual([new PdfRef(1, 0), 1, 0, new PdfName('XYZ'), new PdfRef(12, 0)]);
  });

  it('decodes string escapes, nested parentheses, octal codes and hex strings', () => {
    expect((read(String.raw`(a \(b\) (c) \\ \101\n)`) as PdfString).bytes).toBe('a (b) (c) \\ A\n');
    expect((read('<48 65 6C6C 6F>') as PdfString).bytes).toBe('Hello');
    expect((read('<4>') as PdfString).bytes).toBe('@');
  });

  it('decodes #xx in names (ids in UTF-8 come through intact)', () => {
    const name = read('/caf#c3#a9-section') as PdfName;
    expect(Buffer.from(name.value, 'latin1').toString('utf8')).toBe('café-section');
    expect(writeValue(name)).toBe('/caf#C3#A9-section');
  });

  it('skips comments and reports bad input with its byte position', () => {
    expect(read('% a comment\n42')).toBe(42);
    expect(() => read('<</A >')).toThrow(PdfSyntaxError);
    expect(() => read('(unterminated')).toThrow(/unterminated string/);
  });

  it('writes text strings as ASCII when it can and as UTF-16BE with a BOM otherwise', () => {
    expect(writeValue(PdfString.text('Syria and Russia'))).toBe('(Syria and Russia)');
    expect(writeValue(PdfString.text('Putin–Sharaa'))).toBe('<feff0050007500740069006e2013005300680061007200610061>');
    expect(writeValue(PdfString.text('a (b) \\'))).toBe('(a \\(b\\) \\\\)');
  });

  it('round-trips any value it writes', () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        expect(read(writeValue(v))).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });
});

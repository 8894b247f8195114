/** The PDF object reader/writer and file rewriter the finishing step is built on. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PdfFile, PdfStream } from '../../src/render/pdf-file.js';
import { PdfName, PdfReader, PdfRef, PdfString, PdfSyntaxError, writeValue, type PdfValue } from '../../src/render/pdf-syntax.js';
import { Renumberer } from '../../src/render/pdf-renumber.js';

const read = (source: string): PdfValue => new PdfReader(Buffer.from(source, 'latin1')).value();

/** Any PDF value: what the writer writes, the reader and the renumberer must take. */
const leaf: fc.Arbitrary<PdfValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.string({ unit: 'binary-ascii' }).map((s) => new PdfString(s)),
  fc.string({ unit: 'binary-ascii' }).map((s) => new PdfString(s, true)),
  fc.string({ unit: 'binary-ascii', minLength: 1 }).map((s) => new PdfName(s)),
  fc.nat(9999).map((n) => new PdfRef(n + 1, 0)),
);
const anyValue = fc.letrec<{ value: PdfValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(fc.tuple(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }), tie('value')), { maxLength: 5 }).map((entries) => new Map(entries)),
  ),
})).value;

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
    expect(writeValue(name)).toBe('/caf#c3#a9-section');
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

describe('renumbering objects as bytes (the merge\'s fast path)', () => {
  const moveRefs = (value: PdfValue, base: number): PdfValue => {
    if (value instanceof PdfRef) return new PdfRef(value.num + base, value.gen);
    if (Array.isArray(value)) return value.map((v) => moveRefs(v, base));
    if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, moveRefs(v, base)]));
    return value;
  };
  const object = (num: number, body: string, stream = '') => Buffer.from(`${num} 0 obj\n${body}${stream ? `\nstream\n${stream}\nendstream` : ''}\nendobj\n`, 'latin1');
  const parsed = (bytes: Buffer) => {
    const reader = new PdfReader(bytes);
    const num = reader.value();
    reader.value();
    reader.word(); // obj
    return { num, value: reader.value() };
  };

  it('moves every reference and the object number, and what the parser reads is otherwise unchanged', () => {
    const renumberer = new Renumberer();
    fc.assert(
      fc.property(anyValue, fc.nat(99_999), fc.integer({ min: 1, max: 5_000_000 }), (value, num, base) => {
        const moved = renumberer.moved(object(num + 1, writeValue(value)), base);
        // Subset-like names (/ABCDEF+…) are left to the parser; everything else goes through.
        if (!moved) return expect(writeValue(value)).toMatch(/\/[A-Z]{6}\+/);
        const result = parsed(Buffer.concat(moved));
        expect(result.num).toBe(num + 1 + base);
        expect(result.value).toEqual(moveRefs(value, base));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves text that looks like a reference alone, and stream data untouched', () => {
    const bytes = object(7, '<</Alt (see 1 0 R) /K [3 0 R] /T <31203020523e> /N 1.5 /F1 2 0 R>>', '1 0 R binary (');
    const moved = Buffer.concat(new Renumberer().moved(bytes, 100)!).toString('latin1');
    expect(moved).toBe('107 0 obj\n<</Alt (see 1 0 R) /K [103 0 R] /T <31203020523e> /N 1.5 /F1 102 0 R>>\nstream\n1 0 R binary (\nendstream\nendobj\n');
  });

  it('hands back what the merge must change or cannot follow as text', () => {
    const renumberer = new Renumberer();
    expect(renumberer.moved(object(1, '<</Type /Page /StructParents 4 /Parent 2 0 R>>'), 10)).toBeUndefined();
    expect(renumberer.moved(object(1, '<</BaseFont /AAAAAB+SourceSerif4>>'), 10)).toBeUndefined();
    expect(renumberer.moved(object(1, '<</T (a (nested) string)>>'), 10)).toBeUndefined();
    expect(renumberer.moved(object(1, '<</A 1 > 2>>'), 10)).toBeUndefined();
  });
});

/** A minimal classic PDF, built the way Chromium lays its files out. */
function tinyPdf(): Buffer {
  const objects = [
    '<</Title (old)>>',
    '<</Type /Catalog /Pages 3 0 R /Dests <</intro [4 0 R /XYZ 0 800 0]>>>>',
    '<</Type /Pages /Kids [4 0 R] /Count 1>>',
    '<</Type /Page /Parent 3 0 R /MediaBox [0 0 200 300] /Contents 5 0 R>>',
    null,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += o === null ? `${i + 1} 0 obj\n<</Length 8>> stream\n0 0 m S\nendstream\nendobj\n` : `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 6\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<</Size 6 /Root 2 0 R /Info 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

describe('PDF file rewrite', () => {
  it('reads pages and objects through the xref', () => {
    const file = new PdfFile(tinyPdf());
    expect(file.pageRefs()).toEqual([new PdfRef(4, 0)]);
    expect((file.dict(file.trailer.get('Info'))!.get('Title') as PdfString).bytes).toBe('old');
  });

  it('replaces and adds objects, copies the rest byte for byte, and can read its own output', () => {
    const original = tinyPdf();
    const file = new PdfFile(original);
    const info = new Map<string, PdfValue>([['Title', PdfString.text('new')]]);
    const stream = new PdfStream(new Map(), Buffer.from('q\n', 'latin1'));
    const out = file.rewrite(new Map([[1, info]]), [stream], new Map<string, PdfValue>([['Root', new PdfRef(2)], ['Info', new PdfRef(1)]]));
    expect(out.toString('latin1')).toContain('0 0 m S\nendstream');
    const again = new PdfFile(out);
    expect(again.size).toBe(7);
    expect((again.dict(again.trailer.get('Info'))!.get('Title') as PdfString).bytes).toBe('new');
    expect(again.object(6)).toEqual(new Map([['Length', 2]]));
    expect(again.pageRefs()).toEqual([new PdfRef(4, 0)]);
  });

  it('refuses what it does not read rather than misreading it', () => {
    expect(() => new PdfFile(Buffer.from('%PDF-1.7\nnothing here'))).toThrow(/startxref/);
    const updated = tinyPdf().toString('latin1').replace('/Info 1 0 R>>', '/Info 1 0 R /Prev 9>>');
    expect(() => new PdfFile(Buffer.from(updated, 'latin1'))).toThrow(/incrementally updated/);
  });
});

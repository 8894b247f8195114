/** Renumbering objects as bytes: the merge's fast path, which must read tokens, not bytes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Renumberer, splitObject } from '../../../src/pdf/renumber.js';
import { PdfName, PdfReader, PdfRef, writeValue, type PdfValue } from '../../../src/pdf/syntax.js';
import { anyValue, moveRefs } from '../../helpers/pdf-values.js';

const object = (num: number, body: string, stream?: string) =>
  Buffer.from(`${num} 0 obj\n${body}${stream !== undefined ? `\nstream\n${stream}\nendstream` : ''}\nendobj\n`, 'latin1');
const read = (bytes: Buffer): PdfValue => new PdfReader(bytes).value();
const text = (bytes: Buffer | undefined) => bytes?.toString('latin1');

/** Names the merge changes, so the fast path must hand back: written anywhere in a value. */
const changedByMerge = (source: string) => /\/(StructParents?|[A-Z]{6}\+)(?=[\s/()<>[\]{}%]|$)/.test(source) || /\/[A-Z]{6}\+/.test(source);

describe('renumbering objects as bytes (the merge\'s fast path)', () => {
  it('moves every reference, and what the parser reads is otherwise unchanged', () => {
    const renumberer = new Renumberer();
    fc.assert(
      fc.property(anyValue, fc.nat(99_999), fc.integer({ min: 1, max: 5_000_000 }), (value, num, base) => {
        const source = writeValue(value);
        const moved = renumberer.moved(object(num + 1, source), base);
        if (!moved) return expect(changedByMerge(source)).toBe(true);
        expect(moved.stream).toBeUndefined();
        expect(read(moved.value)).toEqual(moveRefs(value, base));
      }),
      { numRuns: 500 },
    );
  });

  it('does the same for a value as an object stream holds it, and keeps any stream data byte for byte', () => {
    const renumberer = new Renumberer();
    const data = fc.string({ unit: 'binary', maxLength: 60 }).map((s) => Buffer.from(s, 'utf8').toString('latin1'));
    fc.assert(
      fc.property(anyValue, data, fc.integer({ min: 1, max: 5_000_000 }), (value, bytes, base) => {
        const source = writeValue(value);
        const bare = renumberer.moved(Buffer.from(source, 'latin1'), base, true);
        if (bare) expect(read(bare.value)).toEqual(moveRefs(value, base));
        else expect(changedByMerge(source)).toBe(true);
        // As a stream's dictionary, with data that may hold anything ("endobj", "1 0 R", parentheses).
        const dict = new Map<string, PdfValue>([['Length', Buffer.byteLength(bytes, 'latin1')], ['V', value]]);
        const streamed = renumberer.moved(object(3, writeValue(dict), bytes), base);
        if (!streamed) return expect(changedByMerge(source)).toBe(true);
        expect(read(streamed.value)).toEqual(moveRefs(dict, base));
        expect(text(streamed.stream)).toBe(`stream\n${bytes}\nendstream\nendobj\n`);
      }),
      { numRuns: 300 },
    );
  });

  it('reads "stream", "endobj", "obj" and "R" in names and strings as what they are', () => {
    const renumberer = new Renumberer();
    const body = '<</S /Link /T (endobj stream 1 0 R) /Dest /livestream /Alt (obj) /ID /R /K [3 0 R /mainstream 4 0 R] /P 5 0 R>>';
    const moved = renumberer.moved(object(9, body), 100)!;
    expect(text(moved.value)).toBe('<</S /Link /T (endobj stream 1 0 R) /Dest /livestream /Alt (obj) /ID /R /K [103 0 R /mainstream 104 0 R] /P 105 0 R>>');
    expect(moved.stream).toBeUndefined();
    // A link annotation to "#livestream" has a /StructParent after the name: the merge must see it.
    expect(renumberer.moved(object(9, '<</Type /Annot /Subtype /Link /Dest /livestream /StructParent 12 /Rect [0 0 1 1]>>'), 100)).toBeUndefined();
    expect(renumberer.moved(object(9, '<</Type /Annot /Dest /upstream#28x#29 /StructParent 12>>'), 100)).toBeUndefined();
    // Written with escapes, a name is still the name it stands for.
    expect(renumberer.moved(object(9, '<</Struct#50arent 12>>'), 100)).toBeUndefined();
    // Non-ASCII ids are #-escaped UTF-8 in names and raw bytes in strings.
    const utf8 = '<</Dest /caf#C3#A9-stream /T (\xc3\xa9 2 0 R) /P 2 0 R>>';
    expect(text(renumberer.moved(object(9, utf8), 1)!.value)).toBe('<</Dest /caf#C3#A9-stream /T (\xc3\xa9 2 0 R) /P 3 0 R>>');
  });

  it('copies strings with nested and escaped parentheses whole', () => {
    const moved = new Renumberer().moved(object(1, '<</T (a (nested (twice)) \\( 1 0 R \\) string) /P 2 0 R>>'), 10)!;
    expect(text(moved.value)).toBe('<</T (a (nested (twice)) \\( 1 0 R \\) string) /P 12 0 R>>');
  });

  it('leaves text that looks like a reference alone, and stream data untouched', () => {
    const moved = new Renumberer().moved(object(7, '<</Alt (see 1 0 R) /K [3 0 R] /T <31203020523e> /N 1.5 /F1 2 0 R /Length 14>>', '1 0 R binary ('), 100)!;
    expect(text(moved.value)).toBe('<</Alt (see 1 0 R) /K [103 0 R] /T <31203020523e> /N 1.5 /F1 102 0 R /Length 14>>');
    expect(text(moved.stream)).toBe('stream\n1 0 R binary (\nendstream\nendobj\n');
  });

  it('hands back what the merge must change or cannot follow', () => {
    const renumberer = new Renumberer();
    expect(renumberer.moved(object(1, '<</Type /Page /StructParents 4 /Parent 2 0 R>>'), 10)).toBeUndefined();
    expect(renumberer.moved(object(1, '<</BaseFont /AAAAAB+SourceSerif4>>'), 10)).toBeUndefined();
    expect(renumberer.moved(object(1, '<</T (unterminated>>'), 10)).toBeUndefined();
    expect(renumberer.moved(object(1, '<</A 1 > 2>>'), 10)).toBeUndefined();
    expect(renumberer.moved(object(1, '<</A 1>> trailing'), 10)).toBeUndefined();
    expect(renumberer.moved(Buffer.from('1 0 obj\n<</Length 3>>\nstream\nabc', 'latin1'), 10)).toBeUndefined();
  });

  it('splits an object into its value and stream without moving anything', () => {
    expect(text(splitObject(object(4, '<</A [1 0 R]>>'))!.value)).toBe('<</A [1 0 R]>>');
    const split = splitObject(object(4, '<</Length 5 /Name /AAAAAA+Font>>', 'x y z'))!;
    expect(text(split.value)).toBe('<</Length 5 /Name /AAAAAA+Font>>');
    expect(text(split.stream)).toBe('stream\nx y z\nendstream\nendobj\n');
    expect(read(splitObject(Buffer.from(' [1 0 R (x)] ', 'latin1'), true)!.value)).toEqual([new PdfRef(1), expect.anything()]);
    expect(read(splitObject(object(4, '/Name'))!.value)).toEqual(new PdfName('Name'));
  });
});

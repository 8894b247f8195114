/** Arbitrary PDF values for property tests of the PDF toolkit. */
import fc from 'fast-check';
import { PdfName, PdfRef, PdfString, type PdfValue } from '../../src/pdf/syntax.js';

/** Any PDF value: what the writer writes, the reader and the renumberer must take. */
export const leaf: fc.Arbitrary<PdfValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.string({ unit: 'binary-ascii' }).map((s) => new PdfString(s)),
  fc.string({ unit: 'binary-ascii' }).map((s) => new PdfString(s, true)),
  fc.string({ unit: 'binary-ascii', minLength: 1 }).map((s) => new PdfName(s)),
  fc.nat(9999).map((n) => new PdfRef(n + 1, 0)),
);
export const anyValue = fc.letrec<{ value: PdfValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(fc.tuple(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }), tie('value')), { maxLength: 5 }).map((entries) => new Map(entries)),
  ),
})).value;

/** A value with every reference moved by `base`: what renumbering must give. */
export function moveRefs(value: PdfValue, base: number): PdfValue {
  if (value instanceof PdfRef) return new PdfRef(value.num + base, value.gen);
  if (Array.isArray(value)) return value.map((v) => moveRefs(v, base));
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, moveRefs(v, base)]));
  return value;
}

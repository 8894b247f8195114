/**
 * The union of TrueType subsets that keep glyph ids (as Chromium's are): every glyph of every
 * subset drawn and spaced the same by the union, and no union where that cannot be promised.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unitedTrueType } from '../../../src/pdf/font-union.js';

const require = createRequire(import.meta.url);

interface Glyph {
  id: number;
  advanceWidth: number;
  path: { commands: unknown[]; toSVG(): string };
  /** fontkit's decoded glyph: a composite names its components. */
  _decode(): { components?: Array<{ glyphID: number }> } | null;
}
interface Font {
  numGlyphs: number;
  getGlyph(id: number): Glyph;
  layout(text: string): { glyphs: Glyph[] };
}
const fontkit = require('fontkit') as { create(data: Buffer): Font };
const FONT = path.join(path.dirname(require.resolve('@expo-google-fonts/source-sans-3/package.json')), '400Regular', 'SourceSans3_400Regular.ttf');

/** The font's tables, by tag. */
function tables(font: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (let i = 0; i < font.readUInt16BE(4); i++) {
    const at = 12 + i * 16;
    out.set(font.toString('latin1', at, at + 4), font.subarray(font.readUInt32BE(at + 8), font.readUInt32BE(at + 8) + font.readUInt32BE(at + 12)));
  }
  return out;
}

/** The font as a subsetter that keeps glyph ids writes it: only `keep`'s outlines, every other glyph empty. */
function subset(font: Buffer, keep: ReadonlySet<number>, change?: (tables: Map<string, Buffer>) => void): Buffer {
  const t = tables(font);
  const head = t.get('head')!;
  const long = head.readInt16BE(50) === 1;
  const loca = t.get('loca')!;
  const glyf = t.get('glyf')!;
  const count = t.get('maxp')!.readUInt16BE(4);
  const offset = (g: number) => (long ? loca.readUInt32BE(g * 4) : loca.readUInt16BE(g * 2) * 2);
  const parts: Buffer[] = [];
  const newLoca = Buffer.alloc((count + 1) * 4);
  let at = 0;
  for (let g = 0; g < count; g++) {
    newLoca.writeUInt32BE(at, g * 4);
    if (!keep.has(g)) continue;
    const glyph = glyf.subarray(offset(g), offset(g + 1));
    parts.push(glyph);
    at += glyph.length;
  }
  newLoca.writeUInt32BE(at, count * 4);
  const newHead = Buffer.from(head);
  newHead.writeInt16BE(1, 50);
  t.set('glyf', Buffer.concat(parts));
  t.set('loca', newLoca);
  t.set('head', newHead);
  change?.(t);
  // Written plainly: tables one after another, four-byte aligned.
  const tags = [...t.keys()].sort();
  const header = Buffer.alloc(12 + tags.length * 16);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(tags.length, 4);
  const body: Buffer[] = [];
  let offsetNow = header.length;
  tags.forEach((tag, i) => {
    const data = t.get(tag)!;
    header.write(tag, 12 + i * 16, 'latin1');
    header.writeUInt32BE(offsetNow, 12 + i * 16 + 8);
    header.writeUInt32BE(data.length, 12 + i * 16 + 12);
    const padded = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)]);
    body.push(padded);
    offsetNow += padded.length;
  });
  return Buffer.concat([header, ...body]);
}

/** The glyph ids (and their components) that draw `text`. */
function glyphsFor(font: Font, text: string): Set<number> {
  const ids = new Set<number>();
  const stack = [0, ...font.layout(text).glyphs.map((g) => g.id)];
  while (stack.length) {
    const id = stack.pop()!;
    if (ids.has(id)) continue;
    ids.add(id);
    for (const component of font.getGlyph(id)._decode()?.components ?? []) stack.push(component.glyphID);
  }
  return ids;
}

describe('one TrueType program for the subsets of a face', () => {
  const full = readFileSync(FONT);
  const font = fontkit.create(full);
  const a = subset(full, glyphsFor(font, 'Merging parts, ﬁnely: Ä Å é'));
  const b = subset(full, glyphsFor(font, 'Quixotic zebras jump 0123456789 — Å'));

  it('draws and spaces every glyph of every subset as that subset did', () => {
    const united = unitedTrueType([a, b])!;
    expect(united).toBeDefined();
    const u = fontkit.create(united);
    for (const part of [a, b]) {
      const f = fontkit.create(part);
      expect(u.numGlyphs).toBe(f.numGlyphs);
      for (let g = 0; g < f.numGlyphs; g++) {
        const glyph = f.getGlyph(g);
        if (!glyph.path.commands.length) continue;
        expect(u.getGlyph(g).path.toSVG(), `glyph ${g}`).toBe(glyph.path.toSVG());
        expect(u.getGlyph(g).advanceWidth, `advance of glyph ${g}`).toBe(glyph.advanceWidth);
      }
    }
    // Glyphs neither subset has stay empty: the union is no bigger than it must be.
    const unused = font.layout('W').glyphs[0]!.id;
    expect(u.getGlyph(unused).path.commands).toHaveLength(0);
    expect(united.length).toBeLessThan(a.length + b.length);
  });

  it('refuses subsets that do not agree on a glyph, or on tables a subset copies', () => {
    const g = font.layout('Å').glyphs[0]!.id;
    const other = subset(full, new Set([0, g]), (t) => {
      // The same glyph id with another outline: another font.
      const glyf = Buffer.from(t.get('glyf')!);
      glyf[glyf.length - 1] = glyf[glyf.length - 1]! ^ 0xff;
      t.set('glyf', glyf);
    });
    expect(unitedTrueType([a, other])).toBeUndefined();
    const hinted = subset(full, new Set([0, g]), (t) => t.set('prep', Buffer.from([0xb0, 0x01])));
    expect(unitedTrueType([a, hinted])).toBeUndefined();
    expect(unitedTrueType([a, Buffer.from('not a font')])).toBeUndefined();
  });
});

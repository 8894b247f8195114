/**
 * One TrueType font program for several subsets of one face. Chromium (Skia, through HarfBuzz)
 * subsets a font keeping every glyph at its original glyph id and leaves the glyphs it does not
 * need empty; a document printed in parts has one such subset per part. Their union, glyph by
 * glyph, draws every part's text as its own subset did: the glyph ids the parts' content uses
 * (Identity CID-to-glyph mapping) find the same outlines and metrics. Anything that does not fit
 * that picture (a glyph two subsets hold differently, tables other than those a subset changes
 * that differ) answers undefined, and the subsets stay as they are.
 */

interface Sfnt {
  tables: Map<string, Buffer>;
  numGlyphs: number;
  /** Each glyph's bytes in glyf (empty: not in this subset). */
  glyph(gid: number): Buffer;
  metric(gid: number): { advance: number; lsb: number };
}

/** Tables a subset writes for its own glyphs: made anew for the union, or taken from one subset. */
const REBUILT = new Set(['glyf', 'loca', 'hmtx', 'hhea', 'maxp', 'head', 'post']);
/** Tables that describe the subset's characters or layout, which a PDF's CID font does not read: taken from the subset with the most glyphs. */
const FROM_ONE = new Set(['OS/2', 'cmap', 'name', 'GSUB', 'GPOS', 'GDEF', 'DSIG']);

function readSfnt(data: Buffer): Sfnt | undefined {
  if (data.length < 12) return undefined;
  const version = data.readUInt32BE(0);
  if (version !== 0x00010000 && version !== 0x74727565) return undefined;
  const count = data.readUInt16BE(4);
  if (12 + count * 16 > data.length) return undefined;
  const tables = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const at = 12 + i * 16;
    const tag = data.toString('latin1', at, at + 4);
    const offset = data.readUInt32BE(at + 8);
    const length = data.readUInt32BE(at + 12);
    if (offset + length > data.length) return undefined;
    tables.set(tag, data.subarray(offset, offset + length));
  }
  const head = tables.get('head');
  const maxp = tables.get('maxp');
  const loca = tables.get('loca');
  const glyf = tables.get('glyf');
  const hhea = tables.get('hhea');
  const hmtx = tables.get('hmtx');
  if (!head || head.length < 54 || !maxp || maxp.length < 6 || !loca || !glyf || !hhea || hhea.length < 36 || !hmtx) return undefined;
  const numGlyphs = maxp.readUInt16BE(4);
  const long = head.readInt16BE(50) === 1;
  if (loca.length < (numGlyphs + 1) * (long ? 4 : 2)) return undefined;
  const offset = (gid: number) => (long ? loca.readUInt32BE(gid * 4) : loca.readUInt16BE(gid * 2) * 2);
  const metrics = hhea.readUInt16BE(34);
  if (metrics < 1 || hmtx.length < metrics * 4 + (numGlyphs - metrics) * 2) return undefined;
  for (let gid = 0; gid < numGlyphs; gid++) if (offset(gid + 1) < offset(gid) || offset(gid + 1) > glyf.length) return undefined;
  return {
    tables,
    numGlyphs,
    glyph: (gid) => (gid < numGlyphs ? glyf.subarray(offset(gid), offset(gid + 1)) : Buffer.alloc(0)),
    metric: (gid) => ({
      advance: hmtx.readUInt16BE(Math.min(gid, metrics - 1) * 4),
      lsb: gid < metrics ? hmtx.readInt16BE(gid * 4 + 2) : hmtx.readInt16BE(metrics * 4 + (gid - metrics) * 2),
    }),
  };
}

/** The subsets' union, or undefined when they are not subsets of one face that can be joined safely. */
export function unitedTrueType(programs: readonly Buffer[]): Buffer | undefined {
  if (programs.length === 0) return undefined;
  const fonts: Sfnt[] = [];
  for (const program of programs) {
    const font = readSfnt(program);
    if (!font) return undefined;
    fonts.push(font);
  }
  const first = fonts[0]!;
  // The subset with the most glyphs lends the tables that are not rebuilt.
  const base = fonts.reduce((a, b) => (b.numGlyphs > a.numGlyphs ? b : a));
  // The same tables in every subset, but for those taken from one (a subset may leave out GDEF).
  const shared = (font: Sfnt) => [...font.tables.keys()].filter((t) => !FROM_ONE.has(t)).sort();
  const tags = shared(first);
  for (const font of fonts) {
    const own = shared(font);
    if (own.length !== tags.length || own.some((t, i) => t !== tags[i])) return undefined;
    if (font.tables.get('head')!.readUInt16BE(18) !== first.tables.get('head')!.readUInt16BE(18)) return undefined; // unitsPerEm
    for (const tag of tags) {
      if (REBUILT.has(tag) || FROM_ONE.has(tag)) continue;
      // Hinting programs, gasp, STAT and the like: a subset copies them; they must be the same.
      if (!font.tables.get(tag)!.equals(first.tables.get(tag)!)) return undefined;
    }
  }

  const count = base.numGlyphs;
  const glyphs: Buffer[] = [];
  const advances: number[] = [];
  const lsbs: number[] = [];
  for (let gid = 0; gid < count; gid++) {
    let glyph: Buffer | undefined;
    let metric: { advance: number; lsb: number } | undefined;
    for (const font of fonts) {
      if (gid >= font.numGlyphs) continue;
      const own = font.glyph(gid);
      if (own.length === 0) continue;
      const m = font.metric(gid);
      if (glyph) {
        if (!sameGlyph(glyph, own) || m.advance !== metric!.advance || m.lsb !== metric!.lsb) return undefined;
      } else {
        glyph = own;
        metric = m;
      }
    }
    // A glyph no subset holds (or one without outline, like a space): its metrics from any subset that has it.
    metric ??= fonts.find((f) => gid < f.numGlyphs && f.metric(gid).advance !== 0)?.metric(gid) ?? base.metric(gid);
    glyphs.push(glyph ?? Buffer.alloc(0));
    advances.push(metric.advance);
    lsbs.push(metric.lsb);
  }

  // glyf and a long loca.
  const loca = Buffer.alloc((count + 1) * 4);
  const glyfParts: Buffer[] = [];
  let at = 0;
  glyphs.forEach((glyph, gid) => {
    loca.writeUInt32BE(at, gid * 4);
    glyfParts.push(glyph);
    at += glyph.length;
    const pad = (4 - (glyph.length % 4)) % 4;
    if (pad) {
      glyfParts.push(Buffer.alloc(pad));
      at += pad;
    }
  });
  loca.writeUInt32BE(at, count * 4);
  const hmtx = Buffer.alloc(count * 4);
  for (let gid = 0; gid < count; gid++) {
    hmtx.writeUInt16BE(advances[gid]!, gid * 4);
    hmtx.writeInt16BE(lsbs[gid]!, gid * 4 + 2);
  }

  const hhea = Buffer.from(base.tables.get('hhea')!);
  let advanceMax = 0;
  for (const a of advances) if (a > advanceMax) advanceMax = a;
  hhea.writeUInt16BE(advanceMax, 10);
  hhea.writeInt16BE(extreme(fonts, 'hhea', 12, Math.min), 12);
  hhea.writeInt16BE(extreme(fonts, 'hhea', 14, Math.min), 14);
  hhea.writeInt16BE(extreme(fonts, 'hhea', 16, Math.max), 16);
  hhea.writeUInt16BE(count, 34);

  const maxp = Buffer.from(base.tables.get('maxp')!);
  maxp.writeUInt16BE(count, 4);
  // Version 1.0: the maxima of points, contours, zones and the like, over every subset.
  if (maxp.readUInt32BE(0) === 0x00010000 && maxp.length >= 32) {
    for (let field = 6; field < 32; field += 2) {
      let max = 0;
      for (const f of fonts) max = Math.max(max, f.tables.get('maxp')!.length >= 32 ? f.tables.get('maxp')!.readUInt16BE(field) : 0);
      maxp.writeUInt16BE(max, field);
    }
  }

  const head = Buffer.from(base.tables.get('head')!);
  head.writeUInt32BE(0, 8); // checkSumAdjustment, set below
  head.writeInt16BE(extreme(fonts, 'head', 36, Math.min), 36);
  head.writeInt16BE(extreme(fonts, 'head', 38, Math.min), 38);
  head.writeInt16BE(extreme(fonts, 'head', 40, Math.max), 40);
  head.writeInt16BE(extreme(fonts, 'head', 42, Math.max), 42);
  head.writeInt16BE(1, 50); // long loca

  // post 2.0 names each glyph of one subset's count: 3.0 names none, which a CID font needs not.
  const post = Buffer.from(base.tables.get('post')?.subarray(0, 32) ?? Buffer.alloc(0));
  if (post.length === 32) post.writeUInt32BE(0x00030000, 0);

  const tables = new Map<string, Buffer>(base.tables);
  tables.set('glyf', Buffer.concat(glyfParts, at));
  tables.set('loca', loca);
  tables.set('hmtx', hmtx);
  tables.set('hhea', hhea);
  tables.set('maxp', maxp);
  tables.set('head', head);
  if (tables.has('post') && post.length === 32) tables.set('post', post);
  return writeSfnt(tables);
}

/** Two glyphs' bytes, the same but for the zero bytes a subsetter may pad them with. */
function sameGlyph(a: Buffer, b: Buffer): boolean {
  if (a.length === b.length) return a.equals(b);
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (!long.subarray(0, short.length).equals(short)) return false;
  for (let i = short.length; i < long.length; i++) if (long[i] !== 0) return false;
  return true;
}

function extreme(fonts: readonly Sfnt[], tag: string, at: number, pick: (...values: number[]) => number): number {
  let value: number | undefined;
  for (const font of fonts) {
    const v = font.tables.get(tag)!.readInt16BE(at);
    value = value === undefined ? v : pick(value, v);
  }
  return value!;
}

function checksum(data: Buffer): number {
  let sum = 0;
  const padded = data.length % 4 ? Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]) : data;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

function writeSfnt(tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort();
  const count = tags.length;
  let power = 1;
  let log = 0;
  while (power * 2 <= count) {
    power *= 2;
    log++;
  }
  const header = Buffer.alloc(12 + count * 16);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(count, 4);
  header.writeUInt16BE(power * 16, 6);
  header.writeUInt16BE(log, 8);
  header.writeUInt16BE(count * 16 - power * 16, 10);
  const body: Buffer[] = [];
  let offset = header.length;
  tags.forEach((tag, i) => {
    const data = tables.get(tag)!;
    const at = 12 + i * 16;
    header.write(tag, at, 'latin1');
    header.writeUInt32BE(checksum(data), at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(data.length, at + 12);
    body.push(data);
    const pad = (4 - (data.length % 4)) % 4;
    if (pad) body.push(Buffer.alloc(pad));
    offset += data.length + pad;
  });
  const font = Buffer.concat([header, ...body]);
  const headAt = header.readUInt32BE(12 + tags.indexOf('head') * 16 + 8);
  font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, headAt + 8);
  return font;
}

/**
 * A PDF file read in place: its objects found through the cross-reference data (a classic table,
 * as Chromium writes, or a cross-reference stream with object streams, as writer.ts does),
 * read only when asked for, and a rewrite that copies every untouched object as it is. Finishing
 * a 900-page pack this way takes milliseconds where loading and saving the whole document model
 * took seconds and gigabytes. One revision only: incremental updates are refused, not misread.
 */
import { inflateSync } from 'node:zlib';
import { splitObject } from './renumber.js';
import { PdfName, PdfReader, PdfRef, PdfSyntaxError, type PdfDict, type PdfValue } from './syntax.js';
import { PdfStream, PdfWriter } from './writer.js';

export { PdfStream, PdfWriter } from './writer.js';

/** Where an object is: -1 free; an offset in the file; or, below -1, in object stream -(loc + 2). */
const FREE = -1;

/** An object's bytes for copying: `N G obj … endobj` from the file, or (`bare`) a value from an object stream. */
export interface ObjectBytes {
  num: number;
  bytes: Buffer;
  bare: boolean;
}

interface ObjectStreamData {
  data: Buffer;
  /** Where each member's value starts in `data`. */
  starts: number[];
}

export class PdfFile {
  private readonly loc: number[] = [];
  /** A compressed object's index in its object stream. */
  private readonly slot: number[] = [];
  private readonly cache = new Map<number, PdfValue>();
  private readonly objectStreams = new Map<number, ObjectStreamData>();
  readonly trailer: PdfDict;
  /** Where the cross-reference data starts: the end of the last object of a classic file. */
  private readonly xrefStart: number;
  /** The cross-reference stream's object number (0: a classic table). */
  private readonly xrefStream: number = 0;

  constructor(readonly bytes: Buffer) {
    const tail = bytes.subarray(Math.max(0, bytes.length - 1024)).toString('latin1');
    const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
    if (!match) throw new PdfSyntaxError('no startxref at the end of the PDF');
    this.xrefStart = Number(match[1]);
    if (this.xrefStart >= bytes.length) throw new PdfSyntaxError('startxref points past the end of the PDF');
    const reader = new PdfReader(bytes, this.xrefStart);
    const save = reader.pos;
    if (reader.word() === 'xref') this.trailer = this.readTable(reader);
    else {
      reader.pos = save;
      const stream = this.readXrefStream(reader);
      this.trailer = stream.trailer;
      this.xrefStream = stream.num;
    }
    if (this.trailer.has('Prev') || this.trailer.has('XRefStm')) throw new PdfSyntaxError('incrementally updated PDFs are not read here');
  }

  private readTable(reader: PdfReader): PdfDict {
    const { bytes, loc } = this;
    for (;;) {
      const word = reader.word();
      if (word === 'trailer') break;
      const first = Number(word);
      const count = Number(reader.word());
      if (!Number.isInteger(first) || !Number.isInteger(count) || !word) throw new PdfSyntaxError(`bad xref subsection at byte ${reader.pos}`);
      for (let i = 0; i < count; i++) {
        reader.skipSpace();
        // Entries are 20 bytes, "oooooooooo ggggg n\r\n" (ten digits, space, five, space, kind,
        // end of line): read in place, which is most of the time it takes to open a large PDF.
        const entry = fixedXrefEntry(bytes, reader.pos);
        if (entry) {
          this.setLoc(first + i, entry.inUse ? entry.offset : FREE);
          reader.pos += 18;
          continue;
        }
        const offset = Number(reader.word());
        reader.word(); // generation
        const kind = reader.word();
        if (kind !== 'n' && kind !== 'f') throw new PdfSyntaxError(`bad xref entry at byte ${reader.pos}`);
        this.setLoc(first + i, kind === 'n' ? offset : FREE);
      }
    }
    const trailer = reader.value();
    if (!(trailer instanceof Map)) throw new PdfSyntaxError('the trailer is not a dictionary');
    void loc;
    return trailer;
  }

  private setLoc(num: number, where: number, slot = 0): void {
    // Filled in order, so that the arrays stay dense (no holes) however many objects there are.
    while (this.loc.length < num) {
      this.loc.push(FREE);
      this.slot.push(0);
    }
    this.loc[num] = where;
    this.slot[num] = slot;
  }

  private readXrefStream(reader: PdfReader): { num: number; trailer: PdfDict } {
    const num = Number(reader.word());
    reader.word();
    if (!Number.isInteger(num) || reader.word() !== 'obj') throw new PdfSyntaxError('startxref points at neither a table nor a cross-reference stream');
    const dict = reader.value();
    const type = dict instanceof Map ? dict.get('Type') : undefined;
    if (!(dict instanceof Map) || !(type instanceof PdfName) || type.value !== 'XRef') throw new PdfSyntaxError('startxref points at an object that is not a cross-reference stream');
    const data = decodeStream(dict, this.streamBytesAfter(reader, dict, num));
    const widths = asArray(dict.get('W')).map(Number);
    if (widths.length !== 3 || widths.some((w) => !Number.isInteger(w) || w < 0)) throw new PdfSyntaxError('a cross-reference stream with a bad /W');
    const [w1, w2, w3] = widths as [number, number, number];
    const row = w1 + w2 + w3;
    const size = Number(dict.get('Size'));
    const index = dict.has('Index') ? asArray(dict.get('Index')).map(Number) : [0, size];
    let at = 0;
    for (let s = 0; s + 1 < index.length; s += 2) {
      const first = index[s]!;
      for (let i = 0; i < index[s + 1]!; i++) {
        if (at + row > data.length) throw new PdfSyntaxError('the cross-reference stream is shorter than its /Index says');
        const kind = w1 ? readUnsigned(data, at, w1) : 1;
        const f2 = readUnsigned(data, at + w1, w2);
        const f3 = readUnsigned(data, at + w1 + w2, w3);
        at += row;
        if (kind === 1) this.setLoc(first + i, f2);
        else if (kind === 2) this.setLoc(first + i, -(f2 + 2), f3);
        else this.setLoc(first + i, FREE);
      }
    }
    return { num, trailer: dict };
  }

  get size(): number {
    return Math.max(this.loc.length, Number(this.trailer.get('Size') ?? 0));
  }

  /** Whether the file uses object streams and a cross-reference stream. */
  get compact(): boolean {
    return this.xrefStream !== 0;
  }

  /** Object `num` (its dictionary, for a stream). */
  object(num: number): PdfValue {
    const cached = this.cache.get(num);
    if (cached !== undefined) return cached;
    const value = this.entry(num)?.value ?? null;
    this.cache.set(num, value);
    return value;
  }

  /** Object `num` with its stream's raw (still encoded) bytes, if it is a stream. */
  entry(num: number): { value: PdfValue; stream?: Buffer } | undefined {
    const where = this.loc[num];
    if (where === undefined || where === FREE) return undefined;
    if (where < FREE) {
      const { data, starts } = this.objectStream(-where - 2);
      const start = starts[this.slot[num]!];
      if (start === undefined) throw new PdfSyntaxError(`object ${num} is not in its object stream`);
      return { value: new PdfReader(data, start).value() };
    }
    const reader = new PdfReader(this.bytes, where);
    if (Number(reader.word()) !== num) throw new PdfSyntaxError(`object ${num} is not where the xref says`);
    reader.word();
    if (reader.word() !== 'obj') throw new PdfSyntaxError(`object ${num} is not where the xref says`);
    const value = reader.value();
    const after = reader.pos;
    if (reader.word() !== 'stream' || !(value instanceof Map)) return { value };
    reader.pos = after;
    return { value, stream: this.streamBytesAfter(reader, value, num) };
  }

  /** A stream's data: after the keyword `stream` and its end of line, /Length bytes. */
  private streamBytesAfter(reader: PdfReader, dict: PdfDict, num: number): Buffer {
    if (reader.word() !== 'stream') throw new PdfSyntaxError(`object ${num} is not a stream`);
    let start = reader.pos;
    if (this.bytes[start] === 0x0d) start++;
    if (this.bytes[start] === 0x0a) start++;
    const length = this.resolve(dict.get('Length'));
    if (typeof length !== 'number' || start + length > this.bytes.length) throw new PdfSyntaxError(`object ${num} is a stream without a length the file has`);
    return this.bytes.subarray(start, start + length);
  }

  /** A stream's data decoded (Flate, with or without a predictor; unfiltered as it is). */
  streamData(num: number): Buffer {
    const entry = this.entry(num);
    if (!entry?.stream || !(entry.value instanceof Map)) throw new PdfSyntaxError(`object ${num} is not a stream`);
    return decodeStream(entry.value, entry.stream, (v) => this.resolve(v));
  }

  private objectStream(num: number): ObjectStreamData {
    let stream = this.objectStreams.get(num);
    if (stream) return stream;
    const data = this.streamData(num);
    const dict = this.dict(new PdfRef(num))!;
    const count = Number(dict.get('N'));
    const first = Number(dict.get('First'));
    const reader = new PdfReader(data, 0);
    const starts: number[] = [];
    for (let i = 0; i < count; i++) {
      reader.word(); // the member's number
      const offset = Number(reader.word());
      if (!Number.isInteger(offset)) throw new PdfSyntaxError(`object stream ${num} has a bad index`);
      starts.push(first + offset);
    }
    stream = { data, starts };
    this.objectStreams.set(num, stream);
    return stream;
  }

  /** Every object's bytes, for copying: those written one by one in file order, then those in object streams. */
  objects(): ObjectBytes[] {
    const inStreams = new Set<number>();
    const located: Array<{ num: number; offset: number }> = [];
    this.loc.forEach((where, num) => {
      if (where >= 0) located.push({ num, offset: where });
      else if (where < FREE) inStreams.add(-where - 2);
    });
    located.sort((a, b) => a.offset - b.offset);
    const result: ObjectBytes[] = [];
    located.forEach(({ num, offset }, i) => {
      // An object stream and the cross-reference stream are the file's bookkeeping, not objects to copy.
      if (inStreams.has(num) || num === this.xrefStream) return;
      result.push({ num, bytes: this.bytes.subarray(offset, located[i + 1]?.offset ?? this.xrefStart), bare: false });
    });
    const compressed: Array<{ num: number; stream: number; slot: number }> = [];
    this.loc.forEach((where, num) => {
      if (where < FREE) compressed.push({ num, stream: -where - 2, slot: this.slot[num]! });
    });
    compressed.sort((a, b) => a.stream - b.stream || a.slot - b.slot);
    for (const { num, stream, slot } of compressed) {
      const { data, starts } = this.objectStream(stream);
      result.push({ num, bytes: data.subarray(starts[slot], starts[slot + 1] ?? data.length), bare: true });
    }
    return result;
  }

  /**
   * Whether every object is where the cross-reference data says: a file cut short or shifted
   * fails this (which parsing only the page tree would not notice), at the cost of reading each
   * object's first few bytes.
   */
  whole(): boolean {
    const b = this.bytes;
    const digits = (at: number) => {
      let value = 0;
      let end = at;
      while (b[end]! >= 0x30 && b[end]! <= 0x39) value = value * 10 + b[end++]! - 0x30;
      return { value, end };
    };
    const spaces = (at: number) => {
      while (b[at] === 0x20 || b[at] === 0x0a || b[at] === 0x0d) at++;
      return at;
    };
    for (let num = 1; num < this.loc.length; num++) {
      const where = this.loc[num]!;
      if (where < 0) continue;
      // "N G obj", read in place: a large part has tens of thousands of objects.
      const start = spaces(where);
      const own = digits(start);
      if (own.end === start || own.value !== num) return false;
      const genStart = spaces(own.end);
      const gen = digits(genStart);
      const at = spaces(gen.end);
      if (gen.end === genStart || b[at] !== 0x6f || b[at + 1] !== 0x62 || b[at + 2] !== 0x6a) return false;
    }
    return true;
  }

  /** Every object number in use (bar the file's own object and cross-reference streams). */
  objectNumbers(): number[] {
    return this.objects().map((o) => o.num).sort((a, b) => a - b);
  }

  resolve(value: PdfValue | undefined): PdfValue | undefined {
    return value instanceof PdfRef ? this.object(value.num) : value;
  }

  dict(value: PdfValue | undefined): PdfDict | undefined {
    const resolved = this.resolve(value);
    return resolved instanceof Map ? resolved : undefined;
  }

  catalog(): PdfDict {
    const catalog = this.dict(this.trailer.get('Root'));
    if (!catalog) throw new PdfSyntaxError('the PDF has no catalog');
    return catalog;
  }

  /** Every page, in order, through the page tree (walked once: the file never changes). */
  pageRefs(): readonly PdfRef[] {
    if (!this.pages) this.pages = this.pageTree().pages;
    return this.pages;
  }

  private pages: readonly PdfRef[] | undefined;

  /** The page tree: its pages in order and its intermediate nodes (walked with a stack, each node once). */
  pageTree(): { pages: PdfRef[]; nodes: PdfRef[] } {
    const pages: PdfRef[] = [];
    const nodes: PdfRef[] = [];
    const seen = new Set<number>();
    const stack: PdfValue[] = [this.catalog().get('Pages') ?? null];
    while (stack.length) {
      const ref = stack.pop()!;
      if (!(ref instanceof PdfRef) || seen.has(ref.num)) continue;
      seen.add(ref.num);
      const node = this.dict(ref);
      const type = node?.get('Type');
      if (type instanceof PdfName && type.value === 'Page') pages.push(ref);
      else if (node) {
        nodes.push(ref);
        const kids = asArray(node.get('Kids'));
        for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
      }
    }
    return { pages, nodes };
  }

  /**
   * The file again with `replaced` objects in place of the originals and `added` ones after them
   * (numbered from `size` on), in one revision, compact.
   */
  rewrite(replaced: ReadonlyMap<number, PdfValue | PdfStream>, added: ReadonlyArray<PdfValue | PdfStream>, trailer: PdfDict, writer = new PdfWriter()): Buffer {
    for (const object of this.objects()) {
      const replacement = replaced.get(object.num);
      if (replacement !== undefined) writer.object(object.num, replacement);
      else this.copyTo(writer, object);
    }
    added.forEach((value, i) => writer.object(this.size + i, value));
    return writer.finish(trailer);
  }

  /** One object into `writer` under its own number: as bytes where it can, else parsed and written again. */
  copyTo(writer: PdfWriter, { num, bytes, bare }: ObjectBytes): void {
    const split = splitObject(bytes, bare);
    if (split?.stream) writer.stream(num, split.value, split.stream);
    else if (split) writer.value(num, split.value);
    else {
      const entry = this.entry(num)!;
      if (entry.stream) {
        const dict = new Map(entry.value as PdfDict);
        dict.delete('Length');
        writer.object(num, new PdfStream(dict, entry.stream));
      } else writer.object(num, entry.value);
    }
  }
}

function fixedXrefEntry(bytes: Buffer, at: number): { offset: number; inUse: boolean } | undefined {
  if (at + 18 > bytes.length || bytes[at + 10] !== 0x20 || bytes[at + 16] !== 0x20) return undefined;
  let offset = 0;
  for (let k = at; k < at + 10; k++) {
    const d = bytes[k]! - 0x30;
    if (d < 0 || d > 9) return undefined;
    offset = offset * 10 + d;
  }
  const kind = bytes[at + 17];
  if (kind !== 0x6e && kind !== 0x66) return undefined;
  return { offset, inUse: kind === 0x6e };
}

function readUnsigned(data: Buffer, at: number, width: number): number {
  let value = 0;
  for (let i = 0; i < width; i++) value = value * 256 + data[at + i]!;
  return value;
}

/** A stream's data through its filters: FlateDecode (with PNG or no predictor) or none. */
export function decodeStream(dict: PdfDict, raw: Buffer, resolve: (v: PdfValue | undefined) => PdfValue | undefined = (v) => v): Buffer {
  const filter = resolve(dict.get('Filter'));
  const filters = (Array.isArray(filter) ? filter : filter === undefined || filter === null ? [] : [filter]).map((f) => (f instanceof PdfName ? f.value : ''));
  const params = resolve(dict.get('DecodeParms'));
  const paramList = Array.isArray(params) ? params : [params];
  let data = raw;
  filters.forEach((name, i) => {
    if (name !== 'FlateDecode') throw new PdfSyntaxError(`streams filtered with ${name || 'an unnamed filter'} are not read here`);
    data = inflateSync(data);
    const p = resolve(paramList[i] ?? undefined);
    if (p instanceof Map) data = unpredict(data, p);
  });
  return data;
}

/** Undo a PNG predictor (10-15); TIFF's (2) is not read here. */
function unpredict(data: Buffer, params: PdfDict): Buffer {
  const predictor = Number(params.get('Predictor') ?? 1);
  if (predictor < 2) return data;
  if (predictor < 10) throw new PdfSyntaxError(`predictor ${predictor} is not read here`);
  const colors = Number(params.get('Colors') ?? 1);
  const bits = Number(params.get('BitsPerComponent') ?? 8);
  const columns = Number(params.get('Columns') ?? 1);
  const bpp = Math.max(1, Math.ceil((colors * bits) / 8));
  const row = Math.ceil((columns * colors * bits) / 8);
  const rows = Math.floor(data.length / (row + 1));
  const out = Buffer.alloc(rows * row);
  for (let r = 0; r < rows; r++) {
    const filter = data[r * (row + 1)]!;
    const src = r * (row + 1) + 1;
    const dst = r * row;
    for (let c = 0; c < row; c++) {
      const x = data[src + c]!;
      const left = c >= bpp ? out[dst + c - bpp]! : 0;
      const up = r > 0 ? out[dst - row + c]! : 0;
      const upLeft = r > 0 && c >= bpp ? out[dst - row + c - bpp]! : 0;
      let value: number;
      if (filter === 0) value = x;
      else if (filter === 1) value = x + left;
      else if (filter === 2) value = x + up;
      else if (filter === 3) value = x + ((left + up) >> 1);
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        value = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
      } else throw new PdfSyntaxError(`PNG filter ${filter} in a stream`);
      out[dst + c] = value & 0xff;
    }
  }
  return out;
}

export function asArray(value: PdfValue | undefined): PdfValue[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A PDF file as Chromium writes it (a classic cross-reference table, no object streams): its
 * objects found through the xref, read only when asked for, and a rewrite that copies every
 * untouched object byte for byte. Finishing a 900-page pack this way takes milliseconds where
 * loading and saving the whole document model took seconds and gigabytes.
 */
import { PdfName, PdfReader, PdfRef, PdfSyntaxError, writeValue, type PdfDict, type PdfValue } from './pdf-syntax.js';

export class PdfFile {
  /** Byte offset of each object by number (undefined: free or absent). */
  private readonly offsets: Array<number | undefined> = [];
  private readonly cache = new Map<number, PdfValue>();
  readonly trailer: PdfDict;
  /** Where the last object ends: the original cross-reference table. */
  private readonly xrefStart: number;

  constructor(readonly bytes: Buffer) {
    const tail = bytes.subarray(Math.max(0, bytes.length - 1024)).toString('latin1');
    const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
    if (!match) throw new PdfSyntaxError('no startxref at the end of the PDF');
    this.xrefStart = Number(match[1]);
    const reader = new PdfReader(bytes, this.xrefStart);
    if (reader.word() !== 'xref') throw new PdfSyntaxError('the PDF has no classic cross-reference table');
    for (;;) {
      const word = reader.word();
      if (word === 'trailer') break;
      const first = Number(word);
      const count = Number(reader.word());
      if (!Number.isInteger(first) || !Number.isInteger(count)) throw new PdfSyntaxError(`bad xref subsection at byte ${reader.pos}`);
      for (let i = 0; i < count; i++) {
        reader.skipSpace();
        // Entries are 20 bytes, "oooooooooo ggggg n\r\n" (ten digits, space, five, space, kind,
        // end of line): read in place, which is most of the time it takes to open a large PDF.
        const entry = fixedXrefEntry(bytes, reader.pos);
        if (entry) {
          if (entry.inUse) this.offsets[first + i] = entry.offset;
          reader.pos += 18;
          continue;
        }
        const offset = Number(reader.word());
        reader.word(); // generation
        const kind = reader.word();
        if (kind === 'n') this.offsets[first + i] = offset;
      }
    }
    const trailer = reader.value();
    if (!(trailer instanceof Map)) throw new PdfSyntaxError('the trailer is not a dictionary');
    if (trailer.has('Prev')) throw new PdfSyntaxError('incrementally updated PDFs are not read here');
    this.trailer = trailer;
  }

  get size(): number {
    return Math.max(this.offsets.length, Number(this.trailer.get('Size') ?? 0));
  }

  /** Object `num` (its dictionary, for a stream). */
  object(num: number): PdfValue {
    const cached = this.cache.get(num);
    if (cached !== undefined) return cached;
    const offset = this.offsets[num];
    if (offset === undefined) return null;
    const reader = new PdfReader(this.bytes, offset);
    reader.word(); // number
    reader.word(); // generation
    if (reader.word() !== 'obj') throw new PdfSyntaxError(`object ${num} is not where the xref says`);
    const value = reader.value();
    this.cache.set(num, value);
    return value;
  }

  /** Each object's bytes as written (`N G obj … endobj`, up to the next object), in file order. */
  rawObjects(): Array<{ num: number; bytes: Buffer }> {
    const located = this.offsets
      .map((offset, num) => ({ num, offset }))
      .filter((o): o is { num: number; offset: number } => o.offset !== undefined)
      .sort((a, b) => a.offset - b.offset);
    return located.map(({ num, offset }, i) => ({ num, bytes: this.bytes.subarray(offset, located[i + 1]?.offset ?? this.xrefStart) }));
  }

  /** Every object number in use. */
  objectNumbers(): number[] {
    return this.offsets.flatMap((offset, num) => (offset === undefined ? [] : [num]));
  }

  /** Object `num` with its stream's raw (still encoded) bytes, if it is a stream. */
  entry(num: number): { value: PdfValue; stream?: Buffer } | undefined {
    const offset = this.offsets[num];
    if (offset === undefined) return undefined;
    const reader = new PdfReader(this.bytes, offset);
    reader.word();
    reader.word();
    if (reader.word() !== 'obj') throw new PdfSyntaxError(`object ${num} is not where the xref says`);
    const value = reader.value();
    const afterValue = reader.pos;
    if (reader.word() !== 'stream' || !(value instanceof Map)) return { value };
    // The keyword is followed by CRLF or LF, then exactly /Length bytes.
    let start = reader.pos;
    if (this.bytes[start] === 0x0d) start++;
    if (this.bytes[start] === 0x0a) start++;
    const length = this.resolve(value.get('Length'));
    if (typeof length !== 'number') throw new PdfSyntaxError(`object ${num} is a stream without a length (after byte ${afterValue})`);
    return { value, stream: this.bytes.subarray(start, start + length) };
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
    if (this.pages) return this.pages;
    const pages: PdfRef[] = [];
    const walk = (ref: PdfValue | undefined, depth: number) => {
      if (!(ref instanceof PdfRef) || depth > 64) return;
      const node = this.dict(ref);
      const type = node?.get('Type');
      if (type instanceof PdfName && type.value === 'Page') pages.push(ref);
      else for (const kid of asArray(node?.get('Kids'))) walk(kid, depth + 1);
    };
    walk(this.catalog().get('Pages'), 0);
    this.pages = pages;
    return pages;
  }

  private pages: readonly PdfRef[] | undefined;

  /**
   * The file again with `replaced` objects in place of the originals and `added` ones after them
   * (numbered from `size` on), in one revision with a new cross-reference table.
   */
  rewrite(replaced: ReadonlyMap<number, PdfValue | PdfStream>, added: ReadonlyArray<PdfValue | PdfStream>, trailer: PdfDict): Buffer {
    const located = this.offsets
      .map((offset, num) => ({ num, offset }))
      .filter((o): o is { num: number; offset: number } => o.offset !== undefined)
      .sort((a, b) => a.offset - b.offset);
    const writer = new PdfWriter(this.bytes.subarray(0, located[0]?.offset ?? this.xrefStart));
    located.forEach(({ num, offset }, i) => {
      const replacement = replaced.get(num);
      if (replacement !== undefined) writer.object(num, replacement);
      else writer.raw(num, this.bytes.subarray(offset, located[i + 1]?.offset ?? this.xrefStart));
    });
    added.forEach((value, i) => writer.object(this.size + i, value));
    return writer.finish(trailer);
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

/** Writes objects one after another and ends with the cross-reference table they need. */
export class PdfWriter {
  private readonly chunks: Buffer[] = [];
  private readonly offsets = new Map<number, number>();
  private length = 0;

  constructor(header: Buffer = Buffer.from('%PDF-1.4\n%\xd3\xeb\xe9\xe1\n', 'latin1')) {
    this.push(header);
  }

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** An object as bytes already written `N G obj … endobj` (in one chunk or several). */
  raw(num: number, ...chunks: Buffer[]): void {
    this.offsets.set(num, this.length);
    for (const chunk of chunks) this.push(chunk);
  }

  object(num: number, value: PdfValue | PdfStream): void {
    this.raw(num, objectBytes(num, value));
  }

  finish(trailer: PdfDict): Buffer {
    const size = Math.max(0, ...this.offsets.keys()) + 1;
    const xrefAt = this.length;
    const lines = ['xref', `0 ${size}`, '0000000000 65535 f '];
    for (let num = 1; num < size; num++) {
      const at = this.offsets.get(num);
      lines.push(at === undefined ? '0000000000 00000 f ' : `${String(at).padStart(10, '0')} 00000 n `);
    }
    const finalTrailer = new Map(trailer);
    finalTrailer.set('Size', size);
    this.push(Buffer.from(`${lines.join('\n')}\ntrailer\n${writeValue(finalTrailer)}\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
    return Buffer.concat(this.chunks, this.length);
  }
}

/** A stream object to add: its dictionary (without /Length) and its data. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly data: Buffer,
  ) {}
}

function objectBytes(num: number, value: PdfValue | PdfStream): Buffer {
  if (value instanceof PdfStream) {
    const dict = new Map(value.dict);
    dict.set('Length', value.data.length);
    return Buffer.concat([
      Buffer.from(`${num} 0 obj\n${writeValue(dict)}\nstream\n`, 'latin1'),
      value.data,
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
    ]);
  }
  return Buffer.from(`${num} 0 obj\n${writeValue(value)}\nendobj\n`, 'latin1');
}

export function asArray(value: PdfValue | undefined): PdfValue[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Writes a PDF file object by object. Compact by default (PDF 1.5): every object that is not a
 * stream goes into a deflated object stream, and the cross-reference table is a deflated stream
 * too, so a tagged PDF's tens of thousands of structure elements (each a small dictionary of
 * much the same words) take a tenth of their room. Streams are written as they come: their data
 * is Chromium's, compressed already. The bytes depend only on what is written and in which order
 * (and on zlib, which Node bundles: one Node version, the same bytes everywhere).
 */
import { deflateSync } from 'node:zlib';
import { PdfName, writeValue, type PdfDict, type PdfValue } from './syntax.js';

/** A stream object to write: its dictionary (without /Length) and its data, as it is to be stored. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly data: Buffer,
  ) {}
}

export interface WriterOptions {
  /** Object streams and a cross-reference stream (the default), or one object after another with a classic table. */
  compact?: boolean;
  /** A classic file's first bytes. */
  header?: Buffer;
}

/**
 * At most this many objects, and about this many bytes, in one object stream. A reader inflates
 * a whole object stream to read one object in it; 500 structure elements are about 60 kB. On a
 * 900-page pack, 500 to a stream instead of 200 made the structure 3% smaller, and 1,000 no
 * smaller still.
 */
const OBJECTS_PER_STREAM = 500;
const BYTES_PER_STREAM = 128 * 1024;
/**
 * On the structure of a 900-page pack (8 MB), zlib's level 8 gives 6% fewer bytes than its
 * default 6 for twice the time (0.34 s against 0.17); level 9, no fewer bytes for 0.4 s.
 */
const DEFLATE_LEVEL = 8;

const NL = Buffer.from('\n', 'latin1');

interface RawPiece {
  num: number;
  chunks: Buffer[];
}

interface ObjectStreamPiece {
  nums: number[];
  /** Deflated: the header of numbers and offsets, then the values. */
  data: Buffer;
  first: number;
}

type Piece = RawPiece | ObjectStreamPiece;

export class PdfWriter {
  private readonly compact: boolean;
  private readonly header: Buffer;
  private pieces: Piece[] = [];
  private pending: { nums: number[]; values: Buffer[]; bytes: number } = { nums: [], values: [], bytes: 0 };
  private highest = 0;

  constructor(options: WriterOptions = {}) {
    this.compact = options.compact ?? true;
    this.header = this.compact ? Buffer.from('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n', 'latin1') : (options.header ?? Buffer.from('%PDF-1.4\n%\xd3\xeb\xe9\xe1\n', 'latin1'));
  }

  /** An object that is not a stream, as its value's bytes (PDF syntax, without "N G obj"). */
  value(num: number, bytes: Buffer): void {
    this.number(num);
    if (!this.compact) {
      this.pieces.push({ num, chunks: [Buffer.from(`${num} 0 obj\n`, 'latin1'), bytes, Buffer.from('\nendobj\n', 'latin1')] });
      return;
    }
    const { pending } = this;
    pending.nums.push(num);
    pending.values.push(bytes);
    pending.bytes += bytes.length + 1;
    if (pending.nums.length >= OBJECTS_PER_STREAM || pending.bytes >= BYTES_PER_STREAM) this.seal();
  }

  /**
   * A stream object as bytes: its dictionary, and the rest as it stands in the file it comes from
   * (from the keyword `stream` to `endobj`).
   */
  stream(num: number, dict: Buffer, rest: Buffer): void {
    this.number(num);
    const chunks = [Buffer.from(`${num} 0 obj\n`, 'latin1'), dict, NL, rest];
    const last = rest[rest.length - 1];
    if (last !== 0x0a && last !== 0x0d) chunks.push(NL);
    this.pieces.push({ num, chunks });
  }

  object(num: number, value: PdfValue | PdfStream): void {
    if (!(value instanceof PdfStream)) {
      this.value(num, Buffer.from(writeValue(value), 'latin1'));
      return;
    }
    const dict = new Map(value.dict);
    dict.set('Length', value.data.length);
    this.number(num);
    this.pieces.push({ num, chunks: [Buffer.from(`${num} 0 obj\n${writeValue(dict)}\nstream\n`, 'latin1'), value.data, Buffer.from('\nendstream\nendobj\n', 'latin1')] });
  }

  private number(num: number): void {
    if (!Number.isInteger(num) || num < 1) throw new Error(`object number ${num} cannot be written`);
    if (num > this.highest) this.highest = num;
  }

  /** The pending objects as one object stream: numbers and offsets, then the values, deflated. */
  private seal(): void {
    const { nums, values } = this.pending;
    if (!nums.length) return;
    let offset = 0;
    const index: string[] = [];
    values.forEach((value, i) => {
      index.push(`${nums[i]} ${offset}`);
      offset += value.length + 1;
    });
    const head = Buffer.from(`${index.join(' ')}\n`, 'latin1');
    const body: Buffer[] = [head];
    for (const value of values) body.push(value, NL);
    this.pieces.push({ nums, data: deflateSync(Buffer.concat(body), { level: DEFLATE_LEVEL }), first: head.length });
    this.pending = { nums: [], values: [], bytes: 0 };
  }

  /** The file: every object written, then the cross-reference data and `trailer` (its /Size is set here). */
  finish(trailer: PdfDict): Buffer {
    const file = this.layOut(trailer);
    // What was written holds on to the files it came from (a copied stream is a slice of its
    // part): let go of all of it, so that it is not kept as long as the writer is.
    this.pieces = [];
    return file;
  }

  private layOut(trailer: PdfDict): Buffer {
    this.seal();
    const streams = this.pieces.filter((p): p is ObjectStreamPiece => 'data' in p);
    // Object streams, and the cross-reference stream, are numbered after every object written.
    let size = this.highest + 1;
    const streamNums = new Map<ObjectStreamPiece, number>();
    for (const piece of streams) streamNums.set(piece, size++);
    const xrefNum = this.compact ? size++ : 0;

    const type = new Uint8Array(size);
    const field2 = new Float64Array(size);
    const field3 = new Uint32Array(size);
    const out: Buffer[] = [this.header];
    let length = this.header.length;
    const place = (num: number) => {
      if (type[num] !== 0) throw new Error(`object ${num} was written twice`);
      type[num] = 1;
      field2[num] = length;
    };
    for (const piece of this.pieces) {
      if ('chunks' in piece) {
        place(piece.num);
        for (const chunk of piece.chunks) {
          out.push(chunk);
          length += chunk.length;
        }
        continue;
      }
      const num = streamNums.get(piece)!;
      piece.nums.forEach((member, i) => {
        if (type[member] !== 0) throw new Error(`object ${member} was written twice`);
        type[member] = 2;
        field2[member] = num;
        field3[member] = i;
      });
      place(num);
      const head = Buffer.from(
        `${num} 0 obj\n<</Type /ObjStm /N ${piece.nums.length} /First ${piece.first} /Filter /FlateDecode /Length ${piece.data.length}>>\nstream\n`,
        'latin1',
      );
      const tail = Buffer.from('\nendstream\nendobj\n', 'latin1');
      out.push(head, piece.data, tail);
      length += head.length + piece.data.length + tail.length;
    }

    const final: PdfDict = new Map(trailer);
    final.set('Size', size);
    if (!this.compact) {
      const lines = ['xref', `0 ${size}`, '0000000000 65535 f '];
      for (let num = 1; num < size; num++) lines.push(type[num] === 1 ? `${String(field2[num]).padStart(10, '0')} 00000 n ` : '0000000000 00000 f ');
      out.push(Buffer.from(`${lines.join('\n')}\ntrailer\n${writeValue(final)}\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
      return Buffer.concat(out);
    }

    // The cross-reference stream lists itself.
    const xrefAt = length;
    type[xrefNum] = 1;
    field2[xrefNum] = xrefAt;
    field3[0] = 65535;
    let max2 = 0;
    let max3 = 0;
    for (let num = 0; num < size; num++) {
      if (field2[num]! > max2) max2 = field2[num]!;
      if (field3[num]! > max3) max3 = field3[num]!;
    }
    const widths = [1, byteWidth(max2), byteWidth(max3)] as const;
    const row = widths[0] + widths[1] + widths[2];
    const table = Buffer.alloc(size * row);
    for (let num = 0; num < size; num++) {
      const at = num * row;
      table[at] = type[num]!;
      writeUnsigned(table, at + 1, widths[1], field2[num]!);
      writeUnsigned(table, at + 1 + widths[1], widths[2], field3[num]!);
    }
    const data = deflateSync(pngUp(table, row), { level: DEFLATE_LEVEL });
    final.set('Type', new PdfName('XRef'));
    final.set('W', [...widths]);
    final.set('Filter', new PdfName('FlateDecode'));
    final.set('DecodeParms', new Map<string, PdfValue>([['Columns', row], ['Predictor', 12]]));
    final.set('Length', data.length);
    out.push(Buffer.from(`${xrefNum} 0 obj\n${writeValue(final)}\nstream\n`, 'latin1'), data, Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
    return Buffer.concat(out);
  }
}

function byteWidth(max: number): number {
  let width = 1;
  while (max >= 2 ** (8 * width)) width++;
  return width;
}

function writeUnsigned(buffer: Buffer, at: number, width: number, value: number): void {
  for (let i = width - 1; i >= 0; i--) {
    buffer[at + i] = value % 256;
    value = Math.floor(value / 256);
  }
}

/** Rows of the table with PNG's "Up" filter (predictor 12): neighbouring entries differ little, and deflate sees zeros. */
function pngUp(table: Buffer, row: number): Buffer {
  const rows = table.length / row;
  const out = Buffer.alloc(rows * (row + 1));
  for (let r = 0; r < rows; r++) {
    out[r * (row + 1)] = 2;
    for (let c = 0; c < row; c++) {
      const above = r > 0 ? table[(r - 1) * row + c]! : 0;
      out[r * (row + 1) + 1 + c] = (table[r * row + c]! - above) & 0xff;
    }
  }
  return out;
}

/**
 * PDF's object syntax (ISO 32000-1, 7.3): values read from and written back to bytes, as the rest
 * of the toolkit reads Chromium's catalog, page tree, structure tree and destinations and writes
 * dictionaries of its own. A stream's data is not syntax: file.ts and writer.ts carry it.
 */

export class PdfName {
  /** The name's bytes (as latin1 characters), #xx escapes decoded. */
  constructor(readonly value: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen = 0,
  ) {}
}

export class PdfString {
  /** The string's bytes (as latin1 characters); `hex` keeps how it was written. */
  constructor(
    readonly bytes: string,
    readonly hex = false,
  ) {}

  /** A text string: PDFDocEncoding-compatible ASCII as is, anything else as UTF-16BE with a BOM. */
  static text(text: string): PdfString {
    // eslint-disable-next-line no-control-regex
    if (/^[\x20-\x7e]*$/.test(text)) return new PdfString(text);
    const utf16 = Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
    return new PdfString(utf16.toString('latin1'), true);
  }
}

/** A dictionary keeps its keys in order, so what is copied keeps its bytes. */
export type PdfDict = Map<string, PdfValue>;
export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfValue[] | PdfDict;

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
/** Each byte's class, looked up rather than tested: the reader's inner loops run over every byte. */
const SPACE = 1;
const DELIMITER = 2;
const CLASS = new Uint8Array(256);
for (const c of WHITESPACE) CLASS[c] = SPACE;
for (const c of DELIMITERS) CLASS[c] = DELIMITER;
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

export class PdfSyntaxError extends Error {}

/** Reads values from `bytes` starting at `pos`. */
export class PdfReader {
  private readonly bytes: Buffer;

  constructor(
    bytes: Uint8Array,
    public pos = 0,
  ) {
    this.bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private fail(what: string): never {
    throw new PdfSyntaxError(`${what} at byte ${this.pos}`);
  }

  skipSpace(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (CLASS[c] === SPACE) this.pos++;
      else if (c === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
      } else break;
    }
  }

  /** A bare word: a number, keyword or operator (stops at whitespace or a delimiter). */
  word(): string {
    this.skipSpace();
    const start = this.pos;
    const b = this.bytes;
    while (this.pos < b.length && CLASS[b[this.pos]!] === 0) this.pos++;
    return b.toString('latin1', start, this.pos);
  }

  /** The value at the cursor; `N G R` becomes a reference. */
  value(): PdfValue {
    this.skipSpace();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) this.fail('unexpected end of data');
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literalString();
    if (c === 0x3c) return b[this.pos + 1] === 0x3c ? this.dict() : this.hexString();
    if (c === 0x5b) return this.array();
    if (isDigit(c)) {
      // An unsigned integer, read in place; maybe the start of "N G R".
      let number = 0;
      let end = this.pos;
      while (isDigit(b[end])) number = number * 10 + b[end++]! - 0x30;
      if (end === b.length || CLASS[b[end]!] !== 0) {
        this.pos = end;
        const save = end;
        this.skipSpace();
        const genStart = this.pos;
        let gen = 0;
        while (isDigit(b[this.pos])) gen = gen * 10 + b[this.pos++]! - 0x30;
        if (this.pos > genStart && this.pos !== b.length && CLASS[b[this.pos]!] !== 0) {
          this.skipSpace();
          if (b[this.pos] === 0x52 && (this.pos + 1 === b.length || CLASS[b[this.pos + 1]!] !== 0)) {
            this.pos++;
            return new PdfRef(number, gen);
          }
        }
        this.pos = save;
        return number;
      }
    }
    const word = this.word();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) this.fail(`unexpected "${word || String.fromCharCode(c)}"`);
    return Number(word);
  }

  private name(): PdfName {
    this.pos++; // '/'
    const start = this.pos;
    const b = this.bytes;
    while (this.pos < b.length && CLASS[b[this.pos]!] === 0) this.pos++;
    const raw = b.toString('latin1', start, this.pos);
    return new PdfName(raw.includes('#') ? raw.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : raw);
  }

  private literalString(): PdfString {
    const b = this.bytes;
    this.pos++; // '('
    let depth = 1;
    let out = '';
    while (this.pos < b.length) {
      const c = b[this.pos++]!;
      if (c === 0x5c) {
        const e = b[this.pos++]!;
        const simple: Record<number, string> = { 0x6e: '\n', 0x72: '\r', 0x74: '\t', 0x62: '\b', 0x66: '\f', 0x28: '(', 0x29: ')', 0x5c: '\\' };
        if (simple[e] !== undefined) out += simple[e];
        else if (e >= 0x30 && e <= 0x37) {
          let octal = String.fromCharCode(e);
          while (octal.length < 3 && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37) octal += String.fromCharCode(b[this.pos++]!);
          out += String.fromCharCode(parseInt(octal, 8) & 0xff);
        } else if (e === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos++;
        } else if (e !== 0x0a) out += String.fromCharCode(e);
        continue;
      }
      if (c === 0x28) depth++;
      if (c === 0x29 && --depth === 0) return new PdfString(out);
      out += String.fromCharCode(c);
    }
    this.fail('unterminated string');
  }

  private hexString(): PdfString {
    const b = this.bytes;
    const end = b.indexOf(0x3e, this.pos);
    if (end < 0) this.fail('unterminated hex string');
    let hex = b.toString('latin1', this.pos + 1, end).replace(/\s+/g, '');
    if (hex.length % 2) hex += '0';
    this.pos = end + 1;
    return new PdfString(Buffer.from(hex, 'hex').toString('latin1'), true);
  }

  private array(): PdfValue[] {
    this.pos++; // '['
    const items: PdfValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.bytes[this.pos] === 0x5d) {
        this.pos++;
        return items;
      }
      items.push(this.value());
    }
  }

  private dict(): PdfDict {
    this.pos += 2; // '<<'
    const dict: PdfDict = new Map();
    for (;;) {
      this.skipSpace();
      if (this.bytes[this.pos] === 0x3e && this.bytes[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return dict;
      }
      const key = this.value();
      if (!(key instanceof PdfName)) this.fail('a dictionary key that is not a name');
      dict.set(key.value, this.value());
    }
  }
}

/** PDF source for a value. Numbers are written without exponents, to at most 4 decimals. */
export function writeValue(value: PdfValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return formatNumber(value);
  if (value instanceof PdfName) return `/${escapeName(value.value)}`;
  if (value instanceof PdfRef) return `${value.num} ${value.gen} R`;
  if (value instanceof PdfString) {
    if (value.hex) return `<${Buffer.from(value.bytes, 'latin1').toString('hex')}>`;
    return `(${value.bytes.replace(/[\\()]/g, (c) => `\\${c}`).replace(/\r/g, '\\r').replace(/\n/g, '\\n')})`;
  }
  if (Array.isArray(value)) return `[${value.map(writeValue).join(' ')}]`;
  return `<<${[...value].map(([k, v]) => `/${escapeName(k)} ${writeValue(v)}`).join('\n')}>>`;
}

export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const fixed = n.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
  return fixed === '-0' ? '0' : fixed;
}

function escapeName(name: string): string {
  let out = '';
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    // Upper-case hex: some readers (pdf-lib among them) decode only that.
    out += code < 0x21 || code > 0x7e || ch === '#' || DELIMITERS.has(code) ? `#${code.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

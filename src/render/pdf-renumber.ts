/**
 * An object's bytes with every object number moved by a base: the merge's fast path for the
 * tens of thousands of structure elements in a large pack, which need nothing else. It scans the
 * bytes once, writing into shared arenas rather than building a string per object, and answers
 * undefined for anything it must not touch as text: an object whose dictionary holds a
 * /StructParent(s) key or a font subset name (the merge changes those), or syntax it does not
 * follow (a string with nested parentheses, a stray angle bracket). Strings are copied as they
 * are, so "1 0 R" in text stays text. A stream's data is never read, only passed on.
 */

const ARENA = 1 << 20;
const STRUCT_PARENT = Buffer.from('/StructParent', 'latin1');
const STREAM = Buffer.from('stream', 'latin1');

const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const isWord = (b: number) => isDigit(b) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f;
const isHex = (b: number) => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
/** What may not come right before an object number: as in a name (/F1 0 R is not a reference) or a real number. */
const joinsNumber = (b: number) => isWord(b) || b === 0x2e || b === 0x23 || b === 0x2b || b === 0x2d;

export class Renumberer {
  private arena = Buffer.allocUnsafe(ARENA);
  private used = 0;

  /** The object as chunks to write one after the other, or undefined when it must be parsed instead. */
  moved(bytes: Buffer, base: number): Buffer[] | undefined {
    let end = bytes.indexOf(STREAM);
    if (end < 0) end = bytes.length;
    const head = bytes.subarray(0, end);
    if (head.indexOf(STRUCT_PARENT) >= 0 || hasSubsetName(head)) return undefined;

    // A moved number is at most 7 digits longer than the one it replaces; a reference at least 5 bytes.
    const room = head.length * 3 + 32;
    if (this.used + room > this.arena.length) {
      this.arena = Buffer.allocUnsafe(Math.max(ARENA, room));
      this.used = 0;
    }
    const out = this.arena;
    const start = this.used;
    let o = start;
    let i = 0;
    const n = head.length;

    // "N G obj": the object's own number.
    const header = numberAt(head, 0);
    if (header === undefined) return undefined;
    o = writeNumber(out, o, header.value + base);
    i = header.end;

    while (i < n) {
      const b = head[i]!;
      if (b === 0x28) {
        // A literal string, copied whole.
        let j = i + 1;
        for (; j < n; j++) {
          const c = head[j]!;
          if (c === 0x5c) j++;
          else if (c === 0x28) return undefined;
          else if (c === 0x29) break;
        }
        if (j >= n) return undefined;
        o += head.copy(out, o, i, j + 1);
        i = j + 1;
      } else if (b === 0x3c) {
        if (head[i + 1] === 0x3c) {
          out[o++] = 0x3c;
          out[o++] = 0x3c;
          i += 2;
          continue;
        }
        // A hex string, copied whole.
        let j = i + 1;
        while (j < n && (isHex(head[j]!) || isSpace(head[j]!))) j++;
        if (j >= n || head[j] !== 0x3e) return undefined;
        o += head.copy(out, o, i, j + 1);
        i = j + 1;
      } else if (b === 0x3e) {
        if (head[i + 1] !== 0x3e) return undefined;
        out[o++] = 0x3e;
        out[o++] = 0x3e;
        i += 2;
      } else if (b === 0x29) {
        return undefined;
      } else if (isDigit(b) && (i === 0 || !joinsNumber(head[i - 1]!))) {
        const ref = referenceAt(head, i);
        if (ref) {
          o = writeNumber(out, o, ref.num + base);
          out[o++] = 0x20;
          o += head.copy(out, o, ref.genStart, ref.end);
          i = ref.end;
        } else {
          let j = i;
          while (j < n && isDigit(head[j]!)) j++;
          o += head.copy(out, o, i, j);
          i = j;
        }
      } else {
        out[o++] = b;
        i++;
      }
    }
    this.used = o;
    const moved = out.subarray(start, o);
    return end < bytes.length ? [moved, bytes.subarray(end)] : [moved];
  }
}

/** Digits at `i` followed by " G obj". */
function numberAt(bytes: Buffer, i: number): { value: number; end: number } | undefined {
  let j = i;
  let value = 0;
  while (j < bytes.length && isDigit(bytes[j]!)) value = value * 10 + bytes[j++]! - 0x30;
  if (j === i) return undefined;
  return { value, end: j };
}

/** "N G R" at `i`, not followed by a word character: the position of G and the end of R. */
function referenceAt(bytes: Buffer, i: number): { num: number; genStart: number; end: number } | undefined {
  const num = numberAt(bytes, i)!;
  if (bytes[num.end] !== 0x20) return undefined;
  const gen = numberAt(bytes, num.end + 1);
  if (!gen || bytes[gen.end] !== 0x20 || bytes[gen.end + 1] !== 0x52) return undefined;
  const end = gen.end + 2;
  if (end < bytes.length && isWord(bytes[end]!)) return undefined;
  return { num: num.value, genStart: num.end + 1, end };
}

function writeNumber(out: Buffer, o: number, value: number): number {
  return o + out.write(String(value), o, 'latin1');
}

/** A font subset name: /ABCDEF+Name. */
function hasSubsetName(bytes: Buffer): boolean {
  for (let p = bytes.indexOf(0x2b, 7); p >= 0; p = bytes.indexOf(0x2b, p + 1)) {
    if (bytes[p - 7] !== 0x2f) continue;
    let tag = true;
    for (let k = p - 6; k < p && tag; k++) tag = bytes[k]! >= 0x41 && bytes[k]! <= 0x5a;
    if (tag) return true;
  }
  return false;
}

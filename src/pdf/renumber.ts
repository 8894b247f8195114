/**
 * An object's bytes with every object number moved by a base: the merge's fast path for the
 * tens of thousands of structure elements in a large pack, which need nothing else. It reads the
 * object as PDF tokens (strings, names, numbers, delimiters), never as loose bytes, so that
 * "stream", "endobj" or "1 0 R" inside a name or a string stays what it is: the value ends where
 * its last token ends, and only a `stream` keyword after it starts a stream. It answers
 * undefined for anything it must not touch as bytes: an object with a /StructParent(s) key or a
 * font subset name (the merge changes those), or syntax it does not follow. A stream's data is
 * never read, only passed on.
 */

const ARENA = 1 << 20;

const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
const isHex = (b: number) => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
/** Each byte's class, looked up: 1 white space, 2 a delimiter ( ) < > [ ] { } / %, 0 a regular character. */
const CLASS = new Uint8Array(256);
for (const c of [0x20, 0x0a, 0x0d, 0x09, 0x0c, 0x00]) CLASS[c] = 1;
for (const c of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) CLASS[c] = 2;
const isSpace = (b: number) => CLASS[b] === 1;
const isRegular = (b: number) => CLASS[b] === 0;

/** An object as the merge writes it: its value, and for a stream the rest of the object as it was. */
export interface SplitObject {
  /** The value's bytes (a dictionary, for a stream), without "N G obj" or "endobj". */
  value: Buffer;
  /** A stream's keyword, data and end as they are: "stream\n…endstream\nendobj\n". */
  stream?: Buffer;
}

/** The references a walk found: where each number starts and ends, and its value. */
class Found {
  starts: number[] = [];
  ends: number[] = [];
  nums: number[] = [];
  count = 0;
  add(start: number, end: number, num: number): void {
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.nums[this.count] = num;
    this.count++;
  }
}

export class Renumberer {
  private arena = Buffer.allocUnsafe(ARENA);
  private used = 0;
  private readonly found = new Found();

  /**
   * The object (`N G obj … endobj`, or, `bare`, just a value as an object stream holds it) with
   * every reference moved by `base` (`onReference` is told each number it refers to, unmoved), or
   * undefined when it must be parsed instead.
   */
  moved(bytes: Buffer, base: number, bare = false, onReference?: (num: number) => void): SplitObject | undefined {
    const { found } = this;
    found.count = 0;
    const located = locate(bytes, bare, true, found);
    if (!located) return undefined;
    const { start, end, stream } = located;
    // The value is copied in spans between references, each reference's number written moved.
    const moved: string[] = [];
    let length = end - start;
    for (let r = 0; r < found.count; r++) {
      const num = found.nums[r]!;
      onReference?.(num);
      moved[r] = String(num + base);
      length += moved[r]!.length - (found.ends[r]! - found.starts[r]!);
    }
    if (this.used + length > this.arena.length) {
      this.arena = Buffer.allocUnsafe(Math.max(ARENA, length));
      this.used = 0;
    }
    const out = this.arena;
    const from = this.used;
    let at = from;
    let copied = start;
    for (let r = 0; r < found.count; r++) {
      at += bytes.copy(out, at, copied, found.starts[r]);
      at += out.write(moved[r]!, at, 'latin1');
      copied = found.ends[r]!;
    }
    at += bytes.copy(out, at, copied, end);
    this.used = at;
    return { value: out.subarray(from, at), stream };
  }
}

/** An object's value and stream, unmoved: for copying an object into an object stream. */
export function splitObject(bytes: Buffer, bare = false): SplitObject | undefined {
  const found = locate(bytes, bare, false);
  return found && { value: bytes.subarray(found.start, found.end), stream: found.stream };
}

/** Where the value is, and whether a stream follows it; undefined if the object is not plain. */
function locate(bytes: Buffer, bare: boolean, strict: boolean, found?: Found): { start: number; end: number; stream?: Buffer } | undefined {
  let start = 0;
  if (!bare) {
    start = afterHeader(bytes);
    if (start < 0) return undefined;
  }
  while (start < bytes.length && isSpace(bytes[start]!)) start++;
  const end = walkValue(bytes, start, bytes.length, strict, found);
  if (end < 0) return undefined;
  let k = end;
  while (k < bytes.length && isSpace(bytes[k]!)) k++;
  if (bare) return k === bytes.length ? { start, end } : undefined;
  if (keywordAt(bytes, k, 'endobj')) return { start, end };
  if (keywordAt(bytes, k, 'stream') && (bytes[k + 6] === 0x0a || bytes[k + 6] === 0x0d)) {
    // The object must end as a stream does, or what follows its data is not ours to copy.
    let last = bytes.length;
    while (last > k && isSpace(bytes[last - 1]!)) last--;
    if (last - 6 < k || !keywordAt(bytes, last - 6, 'endobj')) return undefined;
    return { start, end, stream: bytes.subarray(k) };
  }
  return undefined;
}

function keywordAt(bytes: Buffer, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word.charCodeAt(i)) return false;
  const after = bytes[at + word.length];
  return after === undefined || !isRegular(after);
}

/** Just past "N G obj", or -1. */
function afterHeader(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length && isSpace(bytes[i]!)) i++;
  const num = digitsEnd(bytes, i);
  if (num === i) return -1;
  let j = num;
  while (j < bytes.length && isSpace(bytes[j]!)) j++;
  const gen = digitsEnd(bytes, j);
  if (gen === j || gen === num) return -1;
  let k = gen;
  while (k < bytes.length && isSpace(bytes[k]!)) k++;
  if (k === gen || !keywordAt(bytes, k, 'obj')) return -1;
  return k + 3;
}

function digitsEnd(bytes: Buffer, i: number): number {
  while (i < bytes.length && isDigit(bytes[i]!)) i++;
  return i;
}

/**
 * One value from `i`, token by token: the index just past its last token, or -1 for what is not
 * plain (with `strict`, names the merge changes). References found are added to `found`.
 * Iterative: nesting is counted, not recursed into.
 */
function walkValue(b: Buffer, i: number, n: number, strict: boolean, found: Found | undefined): number {
  let depth = 0;
  let end = -1;
  while (i < n) {
    const c = b[i]!;
    if (isSpace(c)) {
      if (end >= 0) break;
      i++;
      continue;
    }
    if (end >= 0) break;
    let next: number;
    if (c === 0x25) {
      // A comment: to the end of the line.
      while (i < n && b[i] !== 0x0a && b[i] !== 0x0d) i++;
      continue;
    }
    if (c === 0x28) {
      // A literal string: balanced parentheses, backslash escapes.
      let open = 1;
      next = i + 1;
      while (next < n && open > 0) {
        const s = b[next]!;
        if (s === 0x5c) next += 2;
        else {
          if (s === 0x28) open++;
          else if (s === 0x29) open--;
          next++;
        }
      }
      if (open > 0 || next > n) return -1;
    } else if (c === 0x3c && b[i + 1] === 0x3c) {
      i += 2;
      depth++;
      continue;
    } else if (c === 0x3c) {
      next = i + 1;
      while (next < n && b[next] !== 0x3e) {
        if (!isHex(b[next]!) && !isSpace(b[next]!)) return -1;
        next++;
      }
      if (next >= n) return -1;
      next++;
    } else if (c === 0x3e) {
      if (b[i + 1] !== 0x3e || depth === 0) return -1;
      i += 2;
      if (--depth === 0) end = i;
      continue;
    } else if (c === 0x5b) {
      i++;
      depth++;
      continue;
    } else if (c === 0x5d) {
      if (depth === 0) return -1;
      i++;
      if (--depth === 0) end = i;
      continue;
    } else if (c === 0x2f) {
      next = i + 1;
      while (next < n && isRegular(b[next]!)) next++;
      if (strict && mergeChangesName(b, i + 1, next)) return -1;
    } else if (c === 0x29 || c === 0x7b || c === 0x7d) {
      return -1;
    } else {
      next = i;
      while (next < n && isRegular(b[next]!)) next++;
      const ref = isDigit(c) && digitsEnd(b, i) === next ? referenceAt(b, i, next, n) : undefined;
      if (ref) {
        found?.add(i, next, ref.num);
        next = ref.end;
      }
    }
    i = next;
    if (depth === 0) end = i;
  }
  return end >= 0 && depth === 0 ? end : -1;
}

/** "N G R" from `i` (N ends at `numEnd`): the number and the end of R, or undefined. */
function referenceAt(b: Buffer, i: number, numEnd: number, n: number): { num: number; end: number } | undefined {
  let j = numEnd;
  if (j >= n || !isSpace(b[j]!)) return undefined;
  while (j < n && isSpace(b[j]!)) j++;
  const genEnd = digitsEnd(b, j);
  if (genEnd === j || genEnd >= n || !isSpace(b[genEnd]!)) return undefined;
  let k = genEnd;
  while (k < n && isSpace(b[k]!)) k++;
  if (b[k] !== 0x52 || (k + 1 < n && isRegular(b[k + 1]!))) return undefined;
  let num = 0;
  for (let d = i; d < numEnd; d++) num = num * 10 + b[d]! - 0x30;
  return { num, end: k + 1 };
}

/** /StructParent, /StructParents, or a font subset name (/ABCDEF+…), #-escapes decoded. */
function mergeChangesName(b: Buffer, from: number, to: number): boolean {
  let escaped = false;
  for (let k = from; k < to && !escaped; k++) escaped = b[k] === 0x23;
  if (escaped) {
    const name = b.toString('latin1', from, to).replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return name === 'StructParent' || name === 'StructParents' || /^[A-Z]{6}\+/.test(name);
  }
  // Most names are short and plain: decided from their bytes, without making a string.
  const length = to - from;
  if ((length === 12 || length === 13) && b[from] === 0x53) {
    const name = b.toString('latin1', from, to);
    if (name === 'StructParent' || name === 'StructParents') return true;
  }
  if (length < 7 || b[from + 6] !== 0x2b) return false;
  for (let k = from; k < from + 6; k++) if (b[k]! < 0x41 || b[k]! > 0x5a) return false;
  return true;
}

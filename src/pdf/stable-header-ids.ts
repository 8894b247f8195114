/** Table header ids in Chromium's tagged PDFs, made independent of the renderer's history. */

const OPEN = Buffer.from('(node', 'latin1');
const DIGITS = 8;

/**
 * Chromium names tagged table headers after DOM node ids, counted per renderer process: two
 * parts can use the same id for different headers. They are renumbered across all parts, in
 * the order the parts are given, at the same length (so every byte offset stays valid), which
 * also keeps each result independent of what the renderer did before. The bytes are searched
 * as bytes: a part with many images can pass the 512 MiB that a string may hold.
 */
export class HeaderIdRenumbering {
  private next = 1;

  renumbered(bytes: Buffer): Buffer {
    const found: number[] = [];
    const ids = new Set<number>();
    for (let at = bytes.indexOf(OPEN); at >= 0; at = bytes.indexOf(OPEN, at + 1)) {
      const id = nodeIdAt(bytes, at + OPEN.length);
      if (id === undefined) continue;
      found.push(at);
      ids.add(id);
    }
    if (!found.length) return bytes;
    const rename = new Map<number, string>();
    for (const id of [...ids].sort((a, b) => a - b)) {
      if (this.next >= 10 ** DIGITS) throw new Error('more table headers than eight digits can number');
      rename.set(id, String(this.next++).padStart(DIGITS, '0'));
    }
    const out = Buffer.from(bytes);
    for (const at of found) out.write(rename.get(nodeIdAt(bytes, at + OPEN.length)!)!, at + OPEN.length, 'latin1');
    return out;
  }
}

/** Eight digits and a closing parenthesis at `at`: the id they make. */
function nodeIdAt(bytes: Buffer, at: number): number | undefined {
  if (bytes[at + DIGITS] !== 0x29) return undefined;
  let id = 0;
  for (let i = at; i < at + DIGITS; i++) {
    const d = bytes[i]! - 0x30;
    if (d < 0 || d > 9) return undefined;
    id = id * 10 + d;
  }
  return id;
}

export function stableHeaderIds(parts: readonly Buffer[]): Buffer[] {
  const renumbering = new HeaderIdRenumbering();
  return parts.map((bytes) => renumbering.renumbered(bytes));
}

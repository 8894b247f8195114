/** Table header ids in Chromium's tagged PDFs, made independent of the renderer's history. */

const NODE_ID = /\(node(\d{8})\)/g;

/**
 * Chromium names tagged table headers after DOM node ids, counted per renderer process: two
 * parts can use the same id for different headers. They are renumbered across all parts, in
 * the order the parts are given, at the same length (so every byte offset stays valid), which
 * also keeps each result independent of what the renderer did before.
 */
export class HeaderIdRenumbering {
  private next = 1;

  renumbered(bytes: Buffer): Buffer {
    const text = bytes.toString('latin1');
    const found = new Set<number>();
    for (const match of text.matchAll(NODE_ID)) found.add(Number(match[1]));
    if (!found.size) return bytes;
    const rename = new Map([...found].sort((a, b) => a - b).map((id) => [id, String(this.next++).padStart(8, '0')]));
    return Buffer.from(text.replace(NODE_ID, (_, id: string) => `(node${rename.get(Number(id))})`), 'latin1');
  }
}

export function stableHeaderIds(parts: readonly Buffer[]): Buffer[] {
  const renumbering = new HeaderIdRenumbering();
  return parts.map((bytes) => renumbering.renumbered(bytes));
}

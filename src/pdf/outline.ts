/**
 * A PDF outline (bookmarks) from a tree of titles and destinations. Written with an explicit
 * stack, not recursion: an outline is as long as the document's contents, and a pack of
 * thousands of articles has tens of thousands of entries.
 */
import { PdfName, PdfRef, PdfString, type PdfDict, type PdfValue } from './syntax.js';
import type { PdfStream } from './writer.js';

/** Where finishing puts the objects it adds: numbers first, values when they are known. */
export interface ObjectSink {
  reserve(): PdfRef;
  set(ref: PdfRef, value: PdfValue | PdfStream): void;
}

export interface OutlineEntry {
  title: string;
  /** The named destination's id (an element id: UTF-8 underneath the name's bytes). */
  destination: string;
  children: readonly OutlineEntry[];
}

/**
 * The outline's root, or undefined when no entry has a destination. An entry whose destination
 * is not in `dests` is left out with its children. Open entries: readers show the next level.
 */
export function writeOutline(sink: ObjectSink, entries: readonly OutlineEntry[], dests: ReadonlyMap<string, PdfValue[]>): PdfRef | undefined {
  if (!entries.some((entry) => dests.has(entry.destination))) return undefined;
  interface Level {
    parent: PdfRef;
    /** The dictionary of the entry whose children these are (undefined at the top). */
    owner: PdfDict | undefined;
    items: Array<{ entry: OutlineEntry; dest: PdfValue[]; ref: PdfRef }>;
  }
  const rootRef = sink.reserve();
  const levelOf = (list: readonly OutlineEntry[], parent: PdfRef, owner: PdfDict | undefined): Level => ({
    parent,
    owner,
    items: list.flatMap((entry) => {
      const dest = dests.get(entry.destination);
      return dest ? [{ entry, dest, ref: sink.reserve() }] : [];
    }),
  });
  const top = levelOf(entries, rootRef, undefined);
  // Entries in the order they are reached, every entry before its descendants.
  const made: Array<{ ref: PdfRef; dict: PdfDict; owner: PdfDict | undefined }> = [];
  const stack: Level[] = [top];
  while (stack.length) {
    const level = stack.pop()!;
    level.items.forEach((item, i) => {
      const dict: PdfDict = new Map<string, PdfValue>([
        ['Title', PdfString.text(item.entry.title)],
        ['Parent', level.parent],
        ['Dest', item.dest],
      ]);
      if (i > 0) dict.set('Prev', level.items[i - 1]!.ref);
      if (i < level.items.length - 1) dict.set('Next', level.items[i + 1]!.ref);
      made.push({ ref: item.ref, dict, owner: level.owner });
      const children = levelOf(item.entry.children, item.ref, dict);
      if (children.items.length) {
        dict.set('First', children.items[0]!.ref);
        dict.set('Last', children.items.at(-1)!.ref);
        stack.push(children);
      }
    });
  }
  // Counts from the bottom up: an entry adds itself and its open descendants to its parent's.
  const counts = new Map<PdfDict | undefined, number>();
  for (let i = made.length - 1; i >= 0; i--) {
    const { ref, dict, owner } = made[i]!;
    const own = counts.get(dict) ?? 0;
    // Positive: open, so readers show the next level at once.
    if (own > 0) dict.set('Count', own);
    sink.set(ref, dict);
    counts.set(owner, (counts.get(owner) ?? 0) + 1 + own);
  }
  sink.set(
    rootRef,
    new Map<string, PdfValue>([
      ['Type', new PdfName('Outlines')],
      ['First', top.items[0]!.ref],
      ['Last', top.items.at(-1)!.ref],
      ['Count', counts.get(undefined) ?? 0],
    ]),
  );
  return rootRef;
}

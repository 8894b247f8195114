/**
 * What one edition holds, decided once the pack is read and before anything is made from it:
 * its articles (each with its text filtered, filter-body.ts), its sidebars, the marking it is
 * printed with (the highest level and every caveat of what it holds), and what it leaves out,
 * for `briefpack check` and for keeping messages about withheld parts out of its report.
 */
import { contentKey } from '../cache.js';
import type { Diagnostic, Diagnostics, Position } from '../diagnostics.js';
import type { Article, Manifest, Sidebar } from '../model.js';
import { printWeight } from '../load/print-weight.js';
import { articlePath } from '../load/article.js';
import { admits, type Edition } from './edition.js';
import { filterBody } from './filter-body.js';
import { bannerOf, combine, type Marking, type MarkingScheme } from './scheme.js';

export interface WithheldPart {
  kind: 'article' | 'sidebar' | 'passage';
  file: string;
  /** Where its marking is written (a passage: where it opens). */
  position: Position;
  /** The last line a passage holds; undefined for a whole file. */
  endLine?: number;
  marking: Marking;
  /** The sidebar's id. */
  id?: string;
}

/**
 * What an edition holds of a pack read and checked (`sidebars`: all of the pack's; `texts`: each
 * article's text by display path, for the weight of what the edition prints of it). Each article
 * is handed to `hold` in the pack's order; the edition's marking, manifest and list of what it
 * leaves out are those of the articles held so far.
 */
export class EditionContent {
  readonly sidebars = new Map<string, Sidebar>();
  readonly withheld: WithheldPart[] = [];
  /** The articles it leaves out (absolute paths). */
  readonly withheldArticles = new Set<string>();
  /** Everything that decides what the edition makes of a part: in every cache key of its chapters. */
  readonly key: string;
  private readonly withheldSidebars = new Set<string>();
  private readonly held: Article[] = [];
  private marked: Marking | undefined;

  constructor(
    private readonly pack: Manifest,
    sidebars: ReadonlyMap<string, Sidebar>,
    readonly edition: Edition,
    private readonly texts: ReadonlyMap<string, string>,
  ) {
    for (const sidebar of sidebars.values()) {
      if (admits(edition, sidebar.marking)) this.sidebars.set(sidebar.id, sidebar);
      else {
        this.withheldSidebars.add(sidebar.id);
        this.withheld.push({ kind: 'sidebar', file: sidebar.file, position: sidebar.written?.levelAt ?? sidebar.position, marking: sidebar.marking, id: sidebar.id });
      }
    }
    // Its name too: the chapter's messages name the edition.
    this.key = contentKey('edition', JSON.stringify([edition.name ?? null, pack.markings, edition.max, edition.exclude, edition.withheld, [...this.withheldSidebars].sort()]));
  }

  /** The articles held, each as the edition holds it. */
  get articles(): readonly Article[] {
    return this.held;
  }

  /** The highest level and every caveat of what it holds. */
  get marking(): Marking {
    return this.marked ?? { level: this.pack.markings.unmarked, caveats: [] };
  }

  /** The article as the edition holds it, or undefined when it leaves the article out. */
  hold(article: Article): Article | undefined {
    const { edition } = this;
    const holds = (m: Marking) => admits(edition, m);
    if (!holds(article.marking)) {
      this.withheld.push({ kind: 'article', file: article.file, position: article.markedAt ?? { line: 1, column: 1 }, marking: article.marking });
      this.withheldArticles.add(article.path);
      return undefined;
    }
    let marking = this.marked ? combine(this.marked, article.marking) : article.marking;
    const cut: Array<{ start: number; end: number }> = [];
    for (const block of article.blocks) {
      if (holds(block.marking)) marking = combine(marking, block.marking);
      // Only the outermost block left out is listed: what is inside it goes with it.
      else if (block.parent < 0 || holds(article.blocks[block.parent]!.marking)) {
        this.withheld.push({ kind: 'passage', file: article.file, position: block.start, endLine: block.end.line, marking: block.marking });
        cut.push({ start: block.startOffset, end: block.endOffset });
      }
    }
    const placements = [];
    for (const placement of article.placements) {
      const block = placement.inline ? blockAt(article, placement.position) : undefined;
      if (block && !holds(block.marking)) continue;
      const sidebar = this.sidebars.get(placement.id);
      if (sidebar) {
        marking = combine(marking, sidebar.marking);
        placements.push(placement);
      } else if (this.withheldSidebars.has(placement.id)) {
        // An inline one is cut out of the text by the filter; one in the front matter is placed as a notice, or not at all.
        if (!placement.inline) placements.push({ ...placement, withheld: edition.withheld });
      } else placements.push(placement);
    }
    this.marked = marking;
    const view = articleInEdition(article, {
      scheme: this.pack.markings,
      edition,
      withheldSidebars: this.withheldSidebars,
      key: this.key,
      placements,
      text: this.texts.get(article.file),
      cut,
      root: this.pack.root,
    });
    this.held.push(view);
    return view;
  }

  /**
   * The manifest as the edition's outputs describe it: the marking of what it holds, its name in
   * file names and metadata, and the articles it holds (`all`: every article of the pack, for an
   * edition known to hold them all before they are read).
   */
  manifest(all = false): Manifest {
    const { pack, edition } = this;
    const heldPaths = new Set(this.held.map((a) => a.path));
    const entries = pack.articles.flatMap((entry, i) => (all || heldPaths.has(articlePath(pack.root, entry)) ? [[entry, pack.articlePositions[i]!] as const] : []));
    return {
      ...pack,
      articles: entries.map(([entry]) => entry),
      articlePositions: entries.map(([, position]) => position),
      classification: bannerOf(pack.markings, this.marking),
      ...(edition.name ? { slug: `${pack.slug}-${edition.name}`, builtEdition: { name: edition.name, title: edition.title ?? edition.name } } : {}),
    };
  }
}

/** The innermost of the article's blocks that holds `position`, if any. */
function blockAt(article: Article, position: Position) {
  let found: Article['blocks'][number] | undefined;
  for (const block of article.blocks) if (before(block.start, position) && before(position, block.end)) found = block;
  return found;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.column <= b.column);
}

interface InEdition {
  scheme: MarkingScheme;
  edition: Edition;
  withheldSidebars: ReadonlySet<string>;
  key: string;
  placements: Article['placements'];
  text: string | undefined;
  cut: ReadonlyArray<{ start: number; end: number }>;
  root: string;
}

/** The article as the edition holds it: its text filtered as it is handed over, its key and weight those of what it holds. */
function articleInEdition(article: Article, e: InEdition): Article {
  const weight = e.cut.length && e.text !== undefined ? printWeight(withoutRanges(e.text, e.cut), article.path, e.root) : article.printWeight;
  return {
    ...article,
    key: contentKey(article.key, e.key),
    printWeight: weight,
    placements: e.placements,
    body: (diagnostics?: Diagnostics) =>
      filterBody(article.body(), {
        scheme: e.scheme,
        edition: e.edition,
        marking: article.marking,
        blocks: article.blocks,
        withheldSidebars: e.withheldSidebars,
        file: article.file,
        diagnostics,
      }),
  };
}

function withoutRanges(text: string, ranges: ReadonlyArray<{ start: number; end: number }>): string {
  let out = '';
  let at = 0;
  for (const { start, end } of [...ranges].sort((a, b) => a.start - b.start)) {
    if (start < at) continue;
    out += text.slice(at, start);
    at = end;
  }
  return out + text.slice(at);
}

/** Whether a message is about a part the edition leaves out (a warning there is not the edition's; errors stay). */
export function aboutWithheld(diagnostic: Diagnostic, withheld: readonly WithheldPart[]): boolean {
  if (diagnostic.severity === 'error' || !diagnostic.file) return false;
  const line = diagnostic.position?.line;
  return withheld.some(
    (part) =>
      part.file === diagnostic.file &&
      (part.kind !== 'passage' || (line !== undefined && line >= part.position.line && line <= (part.endLine ?? part.position.line))),
  );
}

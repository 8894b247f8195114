/**
 * The document model shared by every stage, the way Pandoc keeps one AST between readers and
 * writers: loaders produce it, transforms enrich it, renderers only read it.
 */
import type { ChapterIds } from './transform/chapter-ids.js';
import type { CrossLink } from './transform/links.js';
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import type { Diagnostics, Position } from './diagnostics.js';
import type { ManifestData } from './schema/manifest.js';
import type { FrontMatterData } from './schema/frontmatter.js';
import type { SidebarData } from './schema/sidebars.js';
import type { CustomKind } from './load/kinds.js';
import type { ImageStore } from './images/store.js';
import type { Edition } from './marking/edition.js';
import type { Marking, MarkingScheme } from './marking/scheme.js';
import type { WrittenMarking } from './marking/written.js';

export interface Manifest extends Omit<ManifestData, 'editions'> {
  /** File name stem for the outputs, from the title. */
  slug: string;
  /** Absolute pack folder. */
  root: string;
  file: string; // display path of pack.yaml
  /** Where each `articles:` entry stands in pack.yaml, for messages about it. */
  articlePositions: Position[];
  /** Its levels and caveats (none for a pack that is not marked). */
  markings: MarkingScheme;
  /** The editions pack.yaml names, in its order. */
  editions: Edition[];
  /**
   * The edition this manifest describes, when a build makes one (`--edition`): its name goes into
   * file names and metadata, its title onto the cover. `classification` is then the edition's
   * marking, computed from what it holds.
   */
  builtEdition?: { name: string; title: string };
}

export interface Placement {
  id: string;
  section?: string;
  /** True for `::sidebar{#id}` in the text, false for the front matter's `sidebars:` list. */
  inline: boolean;
  file: string;
  position: Position;
  /** Set in an edition that leaves the sidebar out: a notice goes where it would have been, or nothing. */
  withheld?: 'notice' | 'silent';
}

/** A `:::marked{...}` block of an article, as read. */
export interface WrittenBlock {
  marking: WrittenMarking;
  /** Where the block starts (its opening fence) and ends, in the article file. */
  start: Position;
  end: Position;
  startOffset: number;
  endOffset: number;
  /** The block it is inside, by its place in the article's list, or -1. */
  parent: number;
}

/** A marked block with its marking checked: what it holds is this marked (the article's, the blocks around it and its own, together). */
export interface MarkedBlock extends Omit<WrittenBlock, 'marking'> {
  marking: Marking;
}

export interface Article {
  slug: string;
  file: string; // display path
  path: string; // absolute
  /** Hash of the article's text and everything its reading depends on. */
  key: string;
  meta: FrontMatterData;
  lang: string;
  /** Its weight when a large pack is printed in parts: characters, and the images it names (load/print-weight.ts). */
  printWeight: number;
  /** The `##` (and `#`) section headings' text, for placements that name a section. */
  sections: string[];
  /**
   * The Markdown body (after the front matter) as parsed, with positions relative to the file;
   * in an edition, as the edition holds it (marking/filter-body.ts), telling `diagnostics` what
   * filtering it found.
   */
  body(diagnostics?: Diagnostics): MdastRoot;
  placements: Placement[];
  /** Its own marking (the pack's unmarked level if it has none). */
  marking: Marking;
  /** Where its front matter gives its marking, if it does. */
  markedAt?: Position;
  /** Its marked blocks, in the order they open. */
  blocks: MarkedBlock[];
}

/** A sidebar of a kind the pack declares itself (kinds/<name>/schema.json + template.html). */
export interface CustomSidebarData {
  kind: string;
  title: string;
  note?: string;
  custom: CustomKind;
  /** The file's own fields (everything but id, title, kind and note), valid against the kind's schema. */
  data: Record<string, unknown>;
}

export type Sidebar = (SidebarData | CustomSidebarData) & {
  id: string;
  file: string;
  position: Position;
  /** Its `level:` and `caveats:` as written (positions for messages). */
  written?: WrittenMarking;
  /** Its marking, checked against the pack's scheme (the unmarked level if it has none). */
  marking: Marking;
};

export interface TocEntry {
  id: string; // element id in every rendering
  title: string;
  level: 1 | 2;
  children: TocEntry[];
}

export interface Chapter {
  article: Article;
  /** Hash of everything the tree was made from: keys what each renderer keeps per chapter. */
  key: string;
  /** The article rendered as a hast tree: header, summary, body with sidebars placed, notes. */
  tree: HastRoot;
  toc: TocEntry; // level 1 with the sections as children
  /** Pack-relative paths of the images the chapter uses. */
  images: string[];
  /** The ids its tree defines and links to. */
  ids: ChapterIds;
  /** Every character of its text once: what decides the fonts an EPUB or web page carries. */
  chars: string;
  /** Every character of its code once: whether an EPUB or web page carries the monospace face. */
  codeChars: string;
  /**
   * Source line and column (two numbers each; 0, 0 for none) of each element that
   * transform/source-positions.ts's POSITIONED selects, in document order: for print's reports.
   */
  positions: number[];
  /**
   * Names a link from another article may use for this chapter's ids where they differ from
   * `<slug>--<name>` (see transform/anchors.ts).
   */
  anchors: Record<string, string>;
  /** Its links to headings of other articles, checked once the pack is whole (compose/cross-links.ts). */
  crossLinks: CrossLink[];
  /** Names of headings and ids its edition leaves out (lower case): a link to one is told apart from a link to nothing. */
  withheldNames: string[];
  /** Where its headings, images and tables were written: what the accessibility checks name. */
  sources: ElementSources;
}

export type SourceKind = 'headings' | 'images' | 'tables';

/**
 * Where one element was written: a line of the article, or (`file`) the sidebar it is part of.
 * The chapter title comes from the front matter and has no position.
 */
export interface SourceOf {
  file?: string;
  position?: Position;
}

/** Where a chapter's headings, images and tables were written, in document order (transform/element-sources.ts). */
export interface ElementSources {
  /** Every heading, the chapter title first. */
  headings: Array<SourceOf & { level: number }>;
  /** Every image, and whether it has alt text. */
  images: Array<SourceOf & { alt: boolean }>;
  /** Every table, and whether it has a header cell. */
  tables: Array<SourceOf & { header: boolean }>;
}

export interface Pack {
  manifest: Manifest;
  chapters: Chapter[];
  sidebars: Map<string, Sidebar>;
  toc: TocEntry[];
  /** The images the chapters use, as read and checked once: what every writer carries. */
  images: ImageStore;
  /**
   * The SHA-256 of each input file (absolute path) as it was read for this build: manifest.json
   * describes what was built, not what the files hold by the time it is written.
   */
  inputs?: ReadonlyMap<string, string>;
}

export type Format = 'pdf' | 'epub' | 'html';

export interface Artifact {
  format: Format;
  path: string;
  bytes: number;
  sha256: string;
  pages?: number;
  ms: number;
  /** The edition it is of, when the build made editions (`--edition`). */
  edition?: string;
  /** The marking it carries (the highest level and every caveat of what it holds), when the pack is marked. */
  marking?: string;
}

/**
 * The document model shared by every stage, the way Pandoc keeps one AST between readers and
 * writers: loaders produce it, transforms enrich it, renderers only read it.
 */
import type { ChapterIds } from './transform/chapter-ids.js';
import type { CrossLink } from './transform/links.js';
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import type { Position } from './diagnostics.js';
import type { ManifestData } from './schema/manifest.js';
import type { FrontMatterData } from './schema/frontmatter.js';
import type { SidebarData } from './schema/sidebars.js';
import type { CustomKind } from './load/kinds.js';
import type { ImageStore } from './images/store.js';

export interface Manifest extends ManifestData {
  /** File name stem for the outputs, from the title. */
  slug: string;
  /** Absolute pack folder. */
  root: string;
  file: string; // display path of pack.yaml
  /** Where each `articles:` entry stands in pack.yaml, for messages about it. */
  articlePositions: Position[];
}

export interface Placement {
  id: string;
  section?: string;
  /** True for `::sidebar{#id}` in the text, false for the front matter's `sidebars:` list. */
  inline: boolean;
  file: string;
  position: Position;
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
  /** The Markdown body (after the front matter) as parsed, with positions relative to the file. */
  body(): MdastRoot;
  placements: Placement[];
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
}

/** User options (CLI or API) and the manifest's settings, resolved once into a read-only config. */
import path from 'node:path';
import type { Format, Manifest } from './model.js';

export interface BuildOptions {
  /** Pack folder; default `content`. */
  packDir?: string;
  /** Output folder; default `output`. */
  outDir?: string;
  formats?: readonly Format[];
  paper?: 'a4' | 'letter';
  duplex?: boolean;
  /** Bleed on each side, e.g. "3mm"; adds crop marks and TrimBox/BleedBox. */
  bleed?: string;
  template?: string;
  /** Treat warnings as errors. */
  strict?: boolean;
  /** Chrome/Chromium executable; default: PUPPETEER_EXECUTABLE_PATH, then the system's. */
  browser?: string;
  /** Time the whole build may take, in milliseconds (reading, checking, rendering). */
  timeoutMs?: number;
  /** Run EPUBCheck and PDF structure checks on the artifacts; fail (writing nothing) on problems. */
  validate?: boolean;
  /** Reuse layout and cover results kept in <out>/.briefpack-cache (default true). */
  cache?: boolean;
  /** Also write the final print HTML next to the PDF (for debugging layouts). */
  debugHtml?: boolean;
  /** Environment to read SOURCE_DATE_EPOCH from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines (stage names); default none. */
  onProgress?: (message: string) => void;
  /**
   * The edition to build, by its name in pack.yaml, or `all` for each of them; default: the whole
   * pack, every part of it, with the file names it has always had.
   */
  edition?: string;
}

export const ALL_FORMATS: readonly Format[] = ['pdf', 'epub', 'html'];
export const DEFAULT_TIMEOUT_MS = 120_000;

export interface ResolvedConfig {
  readonly packDir: string;
  readonly outDir: string;
  readonly formats: readonly Format[];
  readonly strict: boolean;
  readonly browser: string | undefined;
  readonly timeoutMs: number;
  readonly debugHtml: boolean;
  readonly validate: boolean;
  readonly cache: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly progress: (message: string) => void;
  readonly edition: string | undefined;
  /** BRIEFPACK_TEST_CRASH_ONCE=1: kill Chromium once mid-render, to test the retry. Tests only. */
  readonly crashOnceForTests: boolean;
  /** BRIEFPACK_TEST_BUG=render: a bug of ours (a TypeError) while rendering, to test how it is reported. Tests only. */
  readonly bugForTests: string | undefined;
  /**
   * BRIEFPACK_TEST_HOLD_LOCK=PATH: once the output lock is taken, create PATH.held and wait for
   * PATH.release, so that a test can start a second build while the first holds the folder. Tests only.
   */
  readonly holdLockForTests: string | undefined;
}

export interface ResolvedLayout {
  readonly paper: 'a4' | 'letter';
  readonly duplex: boolean;
  readonly bleedMm: number;
  readonly template: string;
}

export function resolveConfig(options: BuildOptions = {}): ResolvedConfig {
  return Object.freeze({
    packDir: path.resolve(options.packDir ?? 'content'),
    outDir: path.resolve(options.outDir ?? 'output'),
    formats: Object.freeze([...(options.formats ?? ALL_FORMATS)]),
    strict: options.strict ?? false,
    browser: options.browser,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    debugHtml: options.debugHtml ?? false,
    validate: options.validate ?? false,
    cache: options.cache ?? true,
    env: options.env ?? process.env,
    progress: options.onProgress ?? (() => undefined),
    edition: options.edition,
    crashOnceForTests: (options.env ?? process.env).BRIEFPACK_TEST_CRASH_ONCE === '1',
    bugForTests: (options.env ?? process.env).BRIEFPACK_TEST_BUG,
    holdLockForTests: (options.env ?? process.env).BRIEFPACK_TEST_HOLD_LOCK,
  });
}

/** Options given on the command line or to build() win over the manifest's. */
export function resolveLayout(options: BuildOptions, manifest: Manifest): ResolvedLayout {
  return Object.freeze({
    paper: options.paper ?? manifest.paper,
    duplex: options.duplex ?? manifest.duplex,
    bleedMm: parseBleed(options.bleed ?? manifest.bleed),
    template: options.template ?? manifest.template,
  });
}

/** "3mm" → 3; undefined → 0. The manifest schema and the CLI both check the form first. */
export function parseBleed(value: string | undefined): number {
  if (!value) return 0;
  const match = /^(\d+(?:\.\d+)?)mm$/.exec(value.trim());
  if (!match) throw new Error(`bleed must be a length in millimetres such as "3mm", got "${value}"`);
  return Number(match[1]);
}

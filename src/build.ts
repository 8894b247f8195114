/**
 * The pipeline, top to bottom:
 * load → validate → transform/compose → render (PDF, EPUB, HTML concurrently) → write.
 */
import { clearSpans, recordedSpans, recordSpan, timeSpan, type Timing } from './timings.js';
import path from 'node:path';
import { BuildFailure, Diagnostics, ExitCode, internalError, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { resolveConfig, resolveLayout, type BuildOptions, type ResolvedConfig, type ResolvedLayout } from './config.js';
import { buildTime } from './io.js';
import { loadArticle, readArticles } from './load/article.js';
import { loadManifest } from './load/manifest.js';
import { loadSidebars } from './load/sidebars.js';
import type { Article, Artifact, Chapter, Manifest, Pack } from './model.js';
import { composePack } from './compose/pack.js';
import { loadTemplate, type Template } from './compose/template.js';
import { coverCacheName, layoutCacheName, renderArtifacts, type EarlyParts } from './render/artifacts.js';
import { PartedPrint, planParts } from './print/parts.js';
import { BrowserSession, isChromiumFailure } from './chromium/session.js';
import { findBrowser } from './chromium/location.js';
import { checkGlyphs } from './validate/glyphs.js';
import { PlacementCheck } from './validate/placements.js';
import { VERSION } from './version.js';
import { describeBytes, withOutputLock, writeAtomically, type PendingFile } from './write/output.js';
import { releaseManifest } from './write/release-manifest.js';
import { staleArtifacts } from './write/stale-artifacts.js';
import { BuildCache } from './cache.js';
import { ImageStore } from './images/store.js';
import { loadHighlighter, namesAFenceLanguage } from './transform/highlight.js';
import { Deadline } from './deadline.js';
import type { SourceText } from './load/text.js';
import { OverflowReport } from './print/overflow.js';
import { wholePack, type Edition } from './marking/edition.js';
import { aboutWithheld, EditionContent, type WithheldPart } from './marking/edition-content.js';
import { bannerOf, canWithhold } from './marking/scheme.js';

export interface BuildResult {
  artifacts: Artifact[];
  diagnostics: Diagnostic[];
  /** Where output was written (absolute). */
  outDir: string;
  /** Where the build's time went (timings.ts). */
  timings: Timing[];
}

/** What an edition holds and leaves out, as `briefpack check` reports it. */
export interface EditionCheck {
  /** Undefined for the whole pack. */
  name: string | undefined;
  title: string | undefined;
  /** The marking it is printed with: the highest level and every caveat of what it holds. */
  marking: string | undefined;
  articles: number;
  withheld: Array<{ kind: WithheldPart['kind']; file: string; line: number; column: number; endLine?: number; id?: string; marking: string | undefined }>;
  /** The edition as it was made, everything but rendered. */
  pack: Pack;
}

export interface CheckResult {
  /** The whole pack, as a build without --edition makes it. */
  pack: Pack;
  diagnostics: Diagnostic[];
  /** The whole pack, then each edition pack.yaml names. */
  editions: EditionCheck[];
}

/** Load, validate and transform a pack, and each of its editions, without rendering: what `briefpack check` runs. */
export async function check(options: BuildOptions = {}): Promise<CheckResult> {
  const config = resolveConfig(options);
  const deadline = new Deadline(config.timeoutMs);
  const diagnostics = new Diagnostics();
  // Read, never written: a check leaves the output folder alone.
  const cache = new BuildCache(config.outDir, config.cache, diagnostics);
  const prepared = await preparePack(config, options, diagnostics, cache, deadline, {}, (manifest) => [wholePack(manifest.markings), ...manifest.editions]);
  const made = [prepared.first];
  for (let i = 1; i < prepared.count; i++) made.push(await prepared.next(i));
  const all = uniqueDiagnostics([diagnostics.list, ...made.map((e) => e.transformed)]);
  if (all.some((d) => d.severity === 'error' || config.strict)) throw new BuildFailure(all);
  return { pack: prepared.first.pack, diagnostics: all, editions: made.map(editionCheck) };
}

function editionCheck({ content, pack }: PreparedEdition): EditionCheck {
  const scheme = pack.manifest.markings;
  return {
    name: content.edition.name,
    title: content.edition.title,
    marking: pack.manifest.classification,
    articles: pack.chapters.length,
    withheld: content.withheld.map((part) => ({
      kind: part.kind,
      file: part.file,
      line: part.position.line,
      column: part.position.column,
      ...(part.endLine !== undefined ? { endLine: part.endLine } : {}),
      ...(part.id !== undefined ? { id: part.id } : {}),
      marking: bannerOf(scheme, part.marking),
    })),
    pack,
  };
}

interface PrepareHooks {
  /** The manifest and template are read: a browser the build will need can start. */
  onTemplate?: (manifest: Manifest, template: Template) => void;
  /**
   * An edition's articles are read, none transformed yet (`weights`: each one's print weight,
   * load/print-weight.ts): returns who is told of each chapter as it is made.
   */
  onArticles?: (manifest: Manifest, template: Template, weights: readonly number[], images: ImageStore) => ((chapters: readonly Chapter[], index: number) => void) | undefined;
}

/** One edition made: its pack, what it holds and leaves out, and what its transform reported. */
interface PreparedEdition {
  pack: Pack;
  content: EditionContent;
  transformed: Diagnostic[];
}

interface Preparation {
  template: Template;
  /** How many editions the build makes. */
  count: number;
  /** The first edition, made. */
  first: PreparedEdition;
  /** Make edition `index` (1 and up), once the one before it is done with. */
  next(index: number): Promise<PreparedEdition>;
}

/** The editions `--edition` asks for: none named, the whole pack; `all`, each edition pack.yaml names; else the one named. */
function editionsToBuild(wanted: string | undefined, manifest: Manifest): Edition[] {
  if (wanted === undefined) return [wholePack(manifest.markings)];
  const names = manifest.editions.map((e) => e.name!);
  const usage = (message: string) =>
    new BuildFailure(
      [
        {
          severity: 'error',
          rule: 'edition/unknown',
          file: manifest.file,
          message,
          hint: names.length ? `Editions: ${names.join(', ')}; or all.` : 'Name the editions in pack.yaml: editions: {public: {max: PUBLIC}}. See "Markings and editions" in README.md.',
        },
      ],
      ExitCode.UsageError,
    );
  if (names.length === 0) throw usage(`--edition ${wanted}: the pack names no editions`);
  if (wanted === 'all') return manifest.editions;
  const edition = manifest.editions.find((e) => e.name === wanted);
  if (!edition) throw usage(`--edition ${wanted}: the pack has no edition of that name`);
  return [edition];
}

/**
 * Load, check and transform the pack, for each edition it is built in. A build with errors
 * reports what loading and checking found, as if nothing had been transformed: what the
 * transform reported is kept apart until every article has passed.
 *
 * Where no part of the pack can be above another (no marking levels, or one level and no
 * caveats: every edition holds everything), articles are parsed, checked and transformed one at
 * a time, in order, so that a large pack's first parts can be printed while later articles are
 * still parsed. Otherwise every article is read and checked first: what an edition holds, the
 * marking it is printed with and the weight of each article in print depend on all of them, and
 * are known before anything is made from the pack.
 */
async function preparePack(
  config: ResolvedConfig,
  options: BuildOptions,
  diagnostics: Diagnostics,
  cache: BuildCache,
  deadline: Deadline,
  hooks: PrepareHooks = {},
  choose: (manifest: Manifest) => Edition[] = (manifest) => editionsToBuild(config.edition, manifest),
): Promise<Preparation> {
  config.progress('load');
  // Every file as it was read: the glyph check and manifest.json's hash of the inputs use these.
  const sources: SourceText[] = [];
  const kindSources: SourceText[] = [];
  const manifest = await deadline.run('reading pack.yaml', () => loadManifest(config.packDir, diagnostics, sources));
  if (!manifest) throw new BuildFailure(sortDiagnostics(diagnostics.list));
  const editions = choose(manifest);
  const failedSidebars = new Set<string>();
  const [files, sidebars] = await Promise.all([
    deadline.run('reading the articles', () => readArticles(manifest, diagnostics)),
    loadSidebars(config.packDir, diagnostics, failedSidebars, cache, { deadline, sources, kindSources, scheme: manifest.markings }),
  ]);
  // The pack's own errors come first: a template that will not load is reported only without them.
  let template: Template | undefined;
  let templateFailure: unknown;
  try {
    template = deadline.run('reading the template', () =>
      loadTemplate(resolveLayout(options, manifest).template, manifest.root, { file: manifest.file }, diagnostics),
    );
  } catch (error) {
    if (!(error instanceof BuildFailure)) throw error;
    templateFailure = error;
  }
  const failed = () => template === undefined || diagnostics.failed(config.strict);
  if (template && !failed()) hooks.onTemplate?.(manifest, template);

  const texts = new Map(files.map((f) => [f.source.display, f.source.text]));
  const contents = editions.map((edition) => new EditionContent(manifest, sidebars, edition, texts));
  const placements = new PlacementCheck(sidebars, diagnostics, failedSidebars);
  const streaming = !canWithhold(manifest.markings);
  const articles: Article[] = [];
  const read = (file: (typeof files)[number]): Article | undefined => {
    const article = deadline.run(`reading ${file.source.display}`, () => loadArticle(manifest, file, diagnostics, cache, { keepTree: streaming }), file.source.display);
    if (article) {
      articles.push(article);
      placements.article(article);
    }
    return article;
  };
  if (files.some((f) => namesAFenceLanguage(f.source.text))) await loadHighlighter();
  const allTexts = [...sources, ...files.map((f) => f.source)];
  const made = (content: EditionContent, pack: Pack, transformed: Diagnostics): PreparedEdition => ({
    pack: { ...pack, inputs: inputsOf(pack, allTexts, kindSources, template!) },
    content,
    transformed: transformed.list,
  });
  const compose = async (content: EditionContent, streamed?: AsyncIterable<Article>): Promise<{ pack: Pack; transformed: Diagnostics }> => {
    const editionManifest = content.manifest(streamed !== undefined);
    const images = new ImageStore(manifest.root);
    const weights = streamed ? files.map((f) => f.printWeight) : content.articles.map((a) => a.printWeight);
    const onChapter = template && !failed() ? hooks.onArticles?.(editionManifest, template, weights, images) : undefined;
    const transformed = new Diagnostics();
    const count = streamed ? files.length : content.articles.length;
    const pack = await composePack(editionManifest, streamed ?? content.articles, count, content.sidebars, images, transformed, config.progress, cache, onChapter, deadline, content.withheldArticles);
    return { pack, transformed };
  };

  let streamed: { pack: Pack; transformed: Diagnostics } | undefined;
  if (streaming) {
    const content = contents[0]!;
    async function* checked(): AsyncGenerator<Article> {
      for (const file of files) {
        const article = read(file);
        const held = article && content.hold(article);
        // After an error, the rest are still read and checked, to report everything at once.
        if (held && !failed()) yield held;
      }
    }
    streamed = await compose(content, checked());
  } else for (const file of files) read(file);
  placements.finish(articles.length === new Set(manifest.articles).size);
  for (const [i, content] of contents.entries()) {
    if (streamed && i === 0) continue;
    for (const article of articles) content.hold(article);
  }
  for (const content of contents) {
    if (content.articles.length > 0 || articles.length === 0 || !content.edition.name) continue;
    diagnostics.error('edition/empty', `the edition ${content.edition.name} holds none of the pack's articles`, { file: manifest.file, position: content.edition.position });
  }
  failIf(visibleIn(contents, diagnostics.list), config.strict);
  if (!template) throw templateFailure;
  deadline.run('checking the characters against the fonts', () => checkGlyphs(allTexts, diagnostics, cache));
  const first = streamed ?? (await compose(contents[0]!));
  failIf(visibleIn(contents.slice(0, 1), [...diagnostics.list, ...first.transformed.list]), config.strict);
  return {
    template,
    count: contents.length,
    first: made(contents[0]!, first.pack, first.transformed),
    next: async (index) => {
      const { pack, transformed } = await compose(contents[index]!);
      return made(contents[index]!, pack, transformed);
    },
  };
}

/** The files an edition was made from, each with the SHA-256 of the bytes as read: every text, the template, and the images it carries. */
function inputsOf(pack: Pack, texts: readonly SourceText[], kindSources: readonly SourceText[], template: Template): Map<string, string> {
  const root = pack.manifest.root;
  return new Map<string, string>([
    ...[...texts, ...kindSources].map((s): [string, string] => [s.path, s.sha256]),
    ...template.files,
    // The images as the store read them: the bytes the outputs carry.
    ...pack.chapters.flatMap((c) => c.images.map((file): [string, string] => [path.join(root, file), pack.images.get(file).sha256])),
  ]);
}

/** The messages of a build of these editions: a warning about a part that each of them leaves out is none of theirs. */
function visibleIn(contents: readonly EditionContent[], list: readonly Diagnostic[]): Diagnostic[] {
  return list.filter((d) => !contents.every((c) => aboutWithheld(d, c.withheld)));
}

/** Stop here if anything in `list` is an error (or a warning, when strict). */
function failIf(list: readonly Diagnostic[], strict: boolean): void {
  if (list.some((d) => d.severity === 'error' || strict)) throw new BuildFailure(sortDiagnostics(list));
}

/** Each message once (an edition repeats what another said of the parts both hold), in the order of files and positions. */
function uniqueDiagnostics(lists: ReadonlyArray<readonly Diagnostic[]>): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const list of lists) {
    for (const d of list) {
      const key = JSON.stringify([d.file, d.position?.line, d.position?.column, d.severity, d.rule, d.message, d.hint]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
  }
  return sortDiagnostics(out);
}

/**
 * Build a pack. `shared` is a browser that outlives the build, for callers that build again and
 * again (watch mode): it is used, never closed, and a crash in it is reported to its own owner.
 */
export async function build(options: BuildOptions = {}, shared?: BrowserSession): Promise<BuildResult> {
  clearSpans();
  // Node's start and the loading of briefpack's modules: a build on its own process only.
  if (!shared) recordSpan('node start and modules', 0);
  const config = resolveConfig(options);
  const deadline = new Deadline(config.timeoutMs);
  const diagnostics = new Diagnostics();
  const session =
    shared ??
    new BrowserSession(
      config.browser,
      (reason) => {
        diagnostics.warn('render/browser', reason);
        config.progress(reason);
      },
      config.formats.includes('pdf'),
      // A call to Chromium never outlasts the build: a little more than its timeout, which ends it first.
      config.timeoutMs + 10_000,
      (line) => config.progress(`browser: ${line}`),
    );
  // Chromium takes a few hundred milliseconds to start: let it, while the pack loads.
  if (config.formats.includes('pdf')) session.browser().catch(() => undefined);
  try {
    const result = await buildWith(session, config, options, diagnostics, deadline);
    return { ...result, timings: recordedSpans() };
  } finally {
    if (!shared) await session.close();
  }
}

/** An edition rendered: its artifacts, described as manifest.json will, and what it reported. */
interface RenderedEdition {
  pack: Pack;
  content: EditionContent;
  artifacts: Artifact[];
  files: PendingFile[];
  diagnostics: Diagnostic[];
  chromium: string | undefined;
}

/**
 * Every edition asked for is made and rendered in turn, the output folder locked from the first
 * render on; nothing is written until all are rendered, and then all at once with one
 * manifest.json (write/output.ts): a build of several editions writes all of them or none.
 */
async function buildWith(
  session: BrowserSession,
  config: ResolvedConfig,
  options: BuildOptions,
  diagnostics: Diagnostics,
  deadline: Deadline,
): Promise<Omit<BuildResult, 'timings'>> {
  const cache = new BuildCache(config.outDir, config.cache, diagnostics);
  // Each edition's parts, started while its articles were transformed, and its record of what print cuts off.
  let parted: EarlyParts | undefined;
  let overflow = new OverflowReport();
  try {
    const prepared = await timeSpan('load and transform', () => preparePack(config, options, diagnostics, cache, deadline, {
      onTemplate: (manifest, template) => {
        // Without a PDF, Chromium is needed only to picture a cover the cache does not have.
        if (config.formats.includes('epub') && !config.formats.includes('pdf') && !cache.has(coverCacheName(manifest, template))) {
          session.browser().catch(() => undefined);
        }
      },
      onArticles: (manifest, template, weights, images) => {
        const early = printWhileReading(session, config, resolveLayout(options, manifest), manifest, template, weights, images, cache, diagnostics, deadline, overflow);
        parted = early?.parted;
        return early?.onChapter;
      },
    }));
    // The lock covers rendering too, so that a second build into the same folder is told at once.
    return await withOutputLock(config.outDir, async () => {
      if (config.holdLockForTests) await holdForTests(config.holdLockForTests);
      const rendered: RenderedEdition[] = [];
      for (let i = 0; i < prepared.count; i++) {
        if (i > 0) {
          parted = undefined;
          overflow = new OverflowReport();
        }
        const edition = i === 0 ? prepared.first : await prepared.next(i);
        const visible = visibleIn([edition.content], [...diagnostics.list, ...edition.transformed]);
        failIf(visible, config.strict);
        try {
          rendered.push(await renderEdition(session, config, options, cache, edition, prepared.template, parted, deadline, overflow, visible));
        } finally {
          await parted?.print.close();
          parted = undefined;
        }
      }
      config.progress('write');
      // Everything manifest.json says is known before anything is written; then every file,
      // manifest.json among them, goes into place together (see write/output.ts).
      const manifestJson = releaseManifest(
        rendered.map((r) => ({ pack: r.pack, artifacts: r.artifacts })),
        rendered.find((r) => r.chromium)?.chromium,
      );
      deadline.check('writing the output');
      const files = [...rendered.flatMap((r) => r.files), { name: 'manifest.json', data: manifestJson }];
      const stale = staleArtifacts(config.outDir, files.map((f) => f.name), config.edition !== undefined);
      await timeSpan('write', () => writeAtomically(config.outDir, files, stale));
      cache.flush();
      const artifacts = rendered.flatMap((r) => r.artifacts);
      // The build's own messages too: the browser's and the cache's, said while the editions rendered.
      const said = visibleIn(rendered.map((r) => r.content), diagnostics.list);
      return { artifacts, diagnostics: uniqueDiagnostics([said, ...rendered.map((r) => r.diagnostics)]), outDir: config.outDir };
    });
  } finally {
    await parted?.print.close();
  }
}

/**
 * A pack that prints in parts starts every part but the first as soon as its chapters are made,
 * on the core that would otherwise wait while Node reads and transforms the rest of the pack:
 * single-sided, its final print (or, in a rebuild, the one in the cache); double-sided, in a clean
 * build only, its measuring (a rebuild prints from the last build's layout).
 */
function printWhileReading(
  session: BrowserSession,
  config: ResolvedConfig,
  layout: ResolvedLayout,
  manifest: Manifest,
  template: Template,
  weights: readonly number[],
  images: ImageStore,
  cache: BuildCache,
  diagnostics: Diagnostics,
  deadline: Deadline,
  overflow: OverflowReport,
): { parted: EarlyParts; onChapter: (chapters: readonly Chapter[], index: number) => void } | undefined {
  // Double-sided, a rebuild prints from the last layout: there is nothing to measure.
  if (!config.formats.includes('pdf') || (layout.duplex && cache.has(layoutCacheName(manifest.slug, layout, template)))) return undefined;
  const plan = planParts(weights, template);
  if (plan.length < 2) return undefined;
  const browser = session.browser();
  let version: Promise<string> | undefined;
  const print = new PartedPrint({
    template,
    plan,
    newPage: async () => session.isolatedPage(await browser),
    layout,
    timeoutMs: Math.max(1, Math.round(deadline.remaining())),
    diagnostics,
    cache,
    rendererVersion: () => (version ??= browser.then((b) => b.version())),
    onOverflow: overflow.record,
  });
  const partEndingAt = new Map(print.parts.flatMap((chapters, k) => (chapters.length ? [[chapters.at(-1)!, k] as const] : [])));
  return {
    parted: { browser, print },
    onChapter: (chapters, index) => {
      const k = partEndingAt.get(index);
      if (k !== undefined) print.printEarly({ manifest, toc: [], chapters, images }, k);
    },
  };
}

/** One edition's artifacts, rendered and (with --validate) checked; `visible`: what was said of it so far. */
async function renderEdition(
  session: BrowserSession,
  config: ResolvedConfig,
  options: BuildOptions,
  cache: BuildCache,
  edition: PreparedEdition,
  template: Template,
  parted: EarlyParts | undefined,
  deadline: Deadline,
  overflow: OverflowReport,
  visible: readonly Diagnostic[],
): Promise<RenderedEdition> {
  const { pack } = edition;
  // What rendering this edition reports, apart from what the other editions do.
  const diagnostics = new Diagnostics();
  diagnostics.addAll(visible);
  const rendered = await deadline
    .race(
      'rendering',
      renderArtifacts({
        cache,
        pack,
        template,
        layout: resolveLayout(options, pack.manifest),
        formats: config.formats,
        date: buildTime(config.env),
        creator: `briefpack ${VERSION}`,
        // Each wait on Chromium gives up when the build's time is up.
        timeoutMs: Math.max(1, Math.round(deadline.remaining())),
        session,
        debugHtml: config.debugHtml,
        diagnostics,
        progress: config.progress,
        crashOnce: config.crashOnceForTests,
        bugOnce: config.bugForTests === 'render',
        parted,
        overflow,
      }),
    )
    .catch((error: unknown) => {
      throw asBuildFailure(error, config.timeoutMs);
    });
  diagnostics.throwIfFailed(config.strict);

  if (config.validate) {
    config.progress('validate artifacts');
    // Loaded only when asked for: its PDF library alone took 35 ms of every build's start-up.
    const { validateArtifacts } = await import('./validate/artifacts.js');
    await deadline.race(
      'validating the artifacts',
      validateArtifacts(rendered.artifacts, pack, diagnostics, { env: config.env, browser: findBrowser(config.browser, config.env).path, progress: config.progress }),
    );
    if (diagnostics.list.some((d) => d.rule === 'validate/tool')) throw new BuildFailure(sortDiagnostics(diagnostics.list), ExitCode.RenderError);
    diagnostics.throwIfFailed(config.strict);
  }
  const artifacts: Artifact[] = rendered.artifacts.map((a) => ({
    format: a.format,
    path: path.join(config.outDir, a.name),
    ...describeBytes(a.data),
    pages: a.pages,
    ms: a.ms,
    ...(pack.manifest.builtEdition ? { edition: pack.manifest.builtEdition.name } : {}),
    ...(pack.manifest.classification !== undefined ? { marking: pack.manifest.classification } : {}),
  }));
  return { pack, content: edition.content, artifacts, files: [...rendered.artifacts, ...rendered.extras], diagnostics: diagnostics.list, chromium: rendered.chromium };
}

/** See ResolvedConfig.holdLockForTests. */
async function holdForTests(file: string): Promise<void> {
  const { existsSync, watch, writeFileSync } = await import('node:fs');
  await new Promise<void>((resolve) => {
    const check = () => {
      if (!existsSync(`${file}.release`)) return;
      watcher.close();
      resolve();
    };
    const watcher = watch(path.dirname(file), check);
    writeFileSync(`${file}.held`, String(process.pid));
    check();
  });
}

/**
 * What went wrong while rendering, said as what it is: Chromium's own failure (a crash, a closed
 * connection, a timeout), or a bug of briefpack's, which is not to be blamed on Chromium.
 */
function asBuildFailure(error: unknown, timeoutMs: number): BuildFailure {
  if (error instanceof BuildFailure) return error;
  if (!isChromiumFailure(error)) return internalError(error, VERSION);
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new BuildFailure(
      [
        {
          severity: 'error',
          rule: 'render/timeout',
          message: `rendering took longer than the timeout of ${timeoutMs / 1000} s (${message})`,
        },
      ],
      ExitCode.RenderError,
    );
  }
  return new BuildFailure([{ severity: 'error', rule: 'render/failed', message }], ExitCode.RenderError);
}


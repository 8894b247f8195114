/**
 * The pipeline, top to bottom:
 * load → validate → transform/compose → render (PDF, EPUB, HTML concurrently) → write.
 */
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
import { describeBytes, withOutputLock, writeAtomically } from './write/output.js';
import { releaseManifest } from './write/release-manifest.js';
import { BuildCache } from './cache.js';
import { ImageStore } from './images/store.js';
import { loadHighlighter, namesAFenceLanguage } from './transform/highlight.js';
import { Deadline } from './deadline.js';
import type { SourceText } from './load/text.js';
import { OverflowReport } from './print/overflow.js';

export interface BuildResult {
  artifacts: Artifact[];
  diagnostics: Diagnostic[];
  /** Where output was written (absolute). */
  outDir: string;
}

export interface CheckResult {
  pack: Pack;
  diagnostics: Diagnostic[];
}

/** Load, validate and transform a pack without rendering: what `briefpack check` runs. */
export async function check(options: BuildOptions = {}): Promise<CheckResult> {
  const config = resolveConfig(options);
  const deadline = new Deadline(config.timeoutMs);
  const diagnostics = new Diagnostics();
  // Read, never written: a check leaves the output folder alone.
  const { pack } = await preparePack(config, options, diagnostics, new BuildCache(config.outDir, config.cache, diagnostics), deadline);
  return { pack, diagnostics: sortDiagnostics(diagnostics.list) };
}

interface PrepareHooks {
  /** The manifest and template are read: a browser the build will need can start. */
  onTemplate?: (manifest: Manifest, template: Template) => void;
  /**
   * The articles are read, none parsed yet (`weights`: each one's print weight, load/print-weight.ts): returns who is told
   * of each chapter as it is made.
   */
  onArticles?: (manifest: Manifest, template: Template, weights: readonly number[], images: ImageStore) => ((chapters: readonly Chapter[], index: number) => void) | undefined;
}

/**
 * Load, check and transform the pack. Articles are parsed, checked and transformed one at a
 * time, in order, so that a large pack's first parts can be printed while later articles are
 * still parsed. A build with errors reports what loading and checking found, as if nothing had
 * been transformed: what the transform reported is kept apart until every article has passed.
 */
async function preparePack(
  config: ResolvedConfig,
  options: BuildOptions,
  diagnostics: Diagnostics,
  cache: BuildCache,
  deadline: Deadline,
  hooks: PrepareHooks = {},
): Promise<{ pack: Pack; template: Template }> {
  config.progress('load');
  // Every file as it was read: the glyph check and manifest.json's hash of the inputs use these.
  const sources: SourceText[] = [];
  const kindSources: SourceText[] = [];
  const manifest = await deadline.run('reading pack.yaml', () => loadManifest(config.packDir, diagnostics, sources));
  if (!manifest) throw new BuildFailure(sortDiagnostics(diagnostics.list));
  const failedSidebars = new Set<string>();
  const [files, sidebars] = await Promise.all([
    deadline.run('reading the articles', () => readArticles(manifest, diagnostics)),
    loadSidebars(config.packDir, diagnostics, failedSidebars, cache, { deadline, sources, kindSources }),
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
  const images = new ImageStore(manifest.root);
  const onChapter = template && !failed() ? hooks.onArticles?.(manifest, template, files.map((f) => f.printWeight), images) : undefined;

  const placements = new PlacementCheck(sidebars, diagnostics, failedSidebars);
  const articles: Article[] = [];
  async function* checked(): AsyncGenerator<Article> {
    for (const file of files) {
      const article = deadline.run(`reading ${file.source.display}`, () => loadArticle(manifest!, file, diagnostics, cache), file.source.display);
      if (!article) continue;
      articles.push(article);
      placements.article(article);
      // After an error, the rest are still read and checked, to report everything at once.
      if (!failed()) yield article;
    }
  }
  const transformed = new Diagnostics();
  if (files.some((f) => namesAFenceLanguage(f.source.text))) await loadHighlighter();
  const pack = await composePack(manifest, checked(), files.length, sidebars, images, transformed, config.progress, cache, onChapter, deadline);
  placements.finish(articles.length === new Set(manifest.articles).size);
  diagnostics.throwIfFailed(config.strict);
  if (!template) throw templateFailure;
  const texts = [...sources, ...files.map((f) => f.source)];
  deadline.run('checking the characters against the fonts', () => checkGlyphs(texts, diagnostics, cache));
  diagnostics.addAll(transformed.list);
  diagnostics.throwIfFailed(config.strict);
  const inputs = new Map<string, string>([
    ...[...texts, ...kindSources].map((s): [string, string] => [s.path, s.sha256]),
    ...template.files,
    // The images as the store read them: the bytes the outputs carry.
    ...pack.chapters.flatMap((c) => c.images.map((file): [string, string] => [path.join(manifest.root, file), images.get(file).sha256])),
  ]);
  return { pack: { ...pack, inputs }, template };
}

/**
 * Build a pack. `shared` is a browser that outlives the build, for callers that build again and
 * again (watch mode): it is used, never closed, and a crash in it is reported to its own owner.
 */
export async function build(options: BuildOptions = {}, shared?: BrowserSession): Promise<BuildResult> {
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
    );
  // Chromium takes a few hundred milliseconds to start: let it, while the pack loads.
  if (config.formats.includes('pdf')) session.browser().catch(() => undefined);
  try {
    return await buildWith(session, config, options, diagnostics, deadline);
  } finally {
    if (!shared) await session.close();
  }
}

async function buildWith(
  session: BrowserSession,
  config: ResolvedConfig,
  options: BuildOptions,
  diagnostics: Diagnostics,
  deadline: Deadline,
): Promise<BuildResult> {
  const cache = new BuildCache(config.outDir, config.cache, diagnostics);
  const overflow = new OverflowReport();
  let parted: EarlyParts | undefined;
  try {
    const { pack, template } = await preparePack(config, options, diagnostics, cache, deadline, {
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
    });
    return await renderAndWrite(session, config, options, diagnostics, cache, pack, template, parted, deadline, overflow);
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

async function renderAndWrite(
  session: BrowserSession,
  config: ResolvedConfig,
  options: BuildOptions,
  diagnostics: Diagnostics,
  cache: BuildCache,
  pack: Pack,
  template: Template,
  parted: EarlyParts | undefined,
  deadline: Deadline,
  overflow: OverflowReport,
): Promise<BuildResult> {
  // The lock covers rendering too, so that a second build into the same folder is told at once.
  return withOutputLock(config.outDir, async () => {
    if (config.holdLockForTests) await holdForTests(config.holdLockForTests);
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

    config.progress('write');
    // Everything manifest.json says is known before anything is written; then every file,
    // manifest.json among them, goes into place together (see write/output.ts).
    const artifacts: Artifact[] = rendered.artifacts.map((a) => ({
      format: a.format,
      path: path.join(config.outDir, a.name),
      ...describeBytes(a.data),
      pages: a.pages,
      ms: a.ms,
    }));
    const manifestJson = releaseManifest(pack, artifacts, rendered.chromium);
    deadline.check('writing the output');
    await writeAtomically(config.outDir, [...rendered.artifacts, ...rendered.extras, { name: 'manifest.json', data: manifestJson }]);
    cache.flush();
    return { artifacts, diagnostics: sortDiagnostics(diagnostics.list), outDir: config.outDir };
  });
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

